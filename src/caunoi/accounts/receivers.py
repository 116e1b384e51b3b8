"""A new password revokes every API token of the account.

Whatever changes the password — the password-change page, a reset link, the admin's
"set password", `set_password()` in a script — ends in saving the user with a different
`password` hash. `pre_save` notes that; `post_save` deletes the tokens (audited), after the
save, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save

from caunoi.accounts.models import User

_CHANGED = "_caunoi_password_changed"


def _note_password_change(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "password" not in update_fields:
        return
    old = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    setattr(instance, _CHANGED, old is not None and old != instance.password)


def _revoke_tokens(sender: Any, instance: User, created: bool, raw: bool = False, **_: Any) -> None:
    if raw or created or not getattr(instance, _CHANGED, False):
        return
    from caunoi.accounts.services import api_tokens_revoke_all

    setattr(instance, _CHANGED, False)
    api_tokens_revoke_all(user=instance, reason="password changed")


def connect() -> None:
    pre_save.connect(_note_password_change, sender=User, dispatch_uid="caunoi-password-noted")
    post_save.connect(_revoke_tokens, sender=User, dispatch_uid="caunoi-password-tokens")
