"""Forms of the sign-in, sign-up and e-mail pages. Rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import OutsideKind, User
from caunoi.accounts.services import password_errors, registration_errors
from vntext.gazetteer import countries


class SignInForm(AuthenticationForm):
    """Django's sign-in form; also takes an e-mail address, and tells an unconfirmed account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "unverified": _(
            "Your e-mail address is not confirmed yet. Open the link in the e-mail we sent you, "
            "or ask for a new one."
        ),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username or e-mail")

    def clean_username(self) -> str:
        typed = str(self.cleaned_data.get("username") or "").strip()
        if "@" in typed:
            username = User.objects.filter(email__iexact=typed).values_list("username", flat=True)
            return username.first() or typed.lower()
        return typed

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as exc:
            # Only after the right password: an unconfirmed account says so, nothing else does.
            username, password = (
                self.cleaned_data.get("username"),
                self.cleaned_data.get("password"),
            )
            pending = User.objects.filter(
                username=username,
                role=User.Role.EXTERNAL,
                is_active=False,
                email_verified_at__isnull=True,
            ).first()
            if pending is not None and password and pending.check_password(password):
                raise ValidationError(self.error_messages["unverified"], code="unverified") from exc
            raise


def _country_choices() -> list[tuple[str, Any]]:
    english = (get_language() or "vi").startswith("en")
    named = sorted(
        ((c.iso2, c.name_en if english else c.name_vi) for c in countries()),
        key=lambda pair: pair[1].casefold(),
    )
    return [("", _("— not given —")), *named]


class RegistrationForm(forms.Form):
    """Sign-up of an outside user; field names are those of ``outside_user_register``."""

    kind = forms.ChoiceField(label=_("I am"), choices=OutsideKind.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    email = forms.EmailField(label=_("E-mail"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password_confirm = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput
    )
    organization = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        help_text=_(
            "The enterprise, institute or organisation you work for (experts: your employer)."
        ),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = _country_choices()
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["password"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password_confirm"].widget.attrs["autocomplete"] = "new-password"

    def clean(self) -> dict[str, Any]:
        """Every problem at once: the service's rules for the fields that passed the form's."""
        data = super().clean() or {}
        values = {
            name: str(data.get(name) or "")
            for name in ("kind", "full_name", "email", "organization", "country")
        }
        for name, errors in registration_errors(**values).items():
            if name in data:
                for error in errors:
                    self.add_error(name, error)
        if data.get("password"):
            for error in password_errors(
                password=data["password"], email=values["email"], full_name=values["full_name"]
            ):
                self.add_error("password", error)
            if data.get("password_confirm") != data.get("password"):
                self.add_error("password_confirm", _("The two passwords differ."))
        return data


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=150)
