"""Account pages: one's own page (role, organisation, API tokens), sign-up and its e-mail
confirmation, the sign-in lockout page and password reset."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from caunoi.accounts.forms import RegistrationForm, ResendVerificationForm, SignInForm
from caunoi.accounts.models import User
from caunoi.accounts.sections import account_sections
from caunoi.accounts.services import (
    api_token_create,
    api_token_revoke,
    email_verification_resend,
    email_verify,
    outside_user_register,
)
from caunoi.accounts.signin import lockout_username
from caunoi.core.errors import DomainError
from caunoi.core.parsing import parse_int


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
        {
            "tokens": user.api_tokens.order_by("-created_at"),
            "new_token": new_token,
            "sections": account_sections(user),
        },
    )


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def register(request: HttpRequest) -> HttpResponse:
    """Sign-up for enterprises, research organisations, providers, intermediaries, experts."""
    if request.user.is_authenticated:
        return redirect("account")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = outside_user_register(
                kind=data["kind"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                organization=data["organization"],
                country=data["country"],
                site_url=_site_url(request),
            )
        except DomainError as exc:
            for name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            request.session["registered_email"] = user.email
            return redirect("register-sent")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


def register_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/register_sent.html",
        {
            "email": request.session.get("registered_email", ""),
            "days": settings.CAUNOI_EMAIL_VERIFY_DAYS,
        },
    )


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail: opens the account, then on to sign in."""
    try:
        _user, confirmed_now = email_verify(token=token)
    except DomainError as exc:
        return render(
            request,
            "accounts/verify_failed.html",
            {"error": exc.message, "form": ResendVerificationForm()},
            status=400,
        )
    if confirmed_now:
        messages.success(request, _("Your e-mail address is confirmed. You can sign in now."))
    else:
        messages.info(request, _("Your e-mail address was already confirmed. Sign in."))
    return redirect("login")


def verify_resend(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email_verification_resend(email=form.cleaned_data["email"], site_url=_site_url(request))
        messages.info(
            request,
            _(
                "If an unconfirmed account uses this address, a new confirmation link is on its "
                "way. Check your mailbox (and the spam folder)."
            ),
        )
        return redirect("login")
    return render(request, "accounts/verify_resend.html", {"form": form})


def login_locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What django-axes answers while a user name or address is locked out (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next", ""),
            "locked_out": _(
                "Too many failed sign-in attempts. Wait %(minutes)d minutes and try again, "
                "or reset your password."
            )
            % {"minutes": minutes},
        },
        status=429,
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password also lifts the lock on the account's name."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=lockout_username(self.request, {"username": form.user.username}))
        return response


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """One's notifications, newest first, and how they come by e-mail (POST: the choice)."""
    from django.core.paginator import Paginator

    from caunoi.accounts import notifications
    from caunoi.accounts.models import Notification, NotificationSettings

    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        choice = request.POST.get("email", "")
        if choice in NotificationSettings.Email.values:
            notifications.set_email_choice(user, choice)
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Choose how to receive notifications by e-mail."))
        return redirect("notifications")
    qs = Notification.objects.filter(recipient=user)
    page = Paginator(qs, settings.CAUNOI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread": qs.filter(read_at__isnull=True).exists(),
        "email": notifications.email_choice(user),
        "email_choices": NotificationSettings.Email.choices,
    }
    return render(request, "accounts/notifications.html", context)


@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """POST: mark one (``id``) or every notification of the user read."""
    from django.http import HttpResponseNotAllowed

    from caunoi.accounts import notifications

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.user
    assert isinstance(user, User)
    raw = request.POST.get("id", "")
    pk = parse_int(raw)
    notifications.mark_read(user, [pk] if pk is not None else None)
    return redirect("notifications")
