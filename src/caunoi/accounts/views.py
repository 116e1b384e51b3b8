"""The signed-in person's own page: role, unit and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from caunoi.accounts.models import User
from caunoi.accounts.services import api_token_create, api_token_revoke


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    new_token = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                token_id = int(request.POST["revoke"])
            except ValueError:
                token_id = 0
            if api_token_revoke(user=user, token_id=token_id):
                messages.success(request, _("Token revoked."))
            return redirect("account")
        name = (request.POST.get("name") or "").strip()[:100]
        if not name:
            messages.error(request, _("Give the token a name."))
        else:
            _token, new_token = api_token_create(user=user, name=name)
    return render(
        request,
        "accounts/account.html",
        {"tokens": user.api_tokens.order_by("-created_at"), "new_token": new_token},
    )
