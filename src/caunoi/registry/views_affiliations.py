"""The officers' pages for organisation link requests of outside users: the queue and one
request, approved (linking an existing or a new organisation) or rejected."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.core.errors import DomainError
from caunoi.registry.affiliations import (
    affiliation_decide,
    affiliation_for_user,
    affiliations_pending,
    can_decide,
)
from caunoi.registry.models import Affiliation, Organization


class DecisionForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organization.objects.order_by("name_vi"),
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the person"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, affiliation: Affiliation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        if affiliation.organization_id:
            field.initial = affiliation.organization_id
            field.empty_label = None
        else:
            field.empty_label = gettext_lazy("— a new organisation made from the claim —")


@login_required
def affiliation_list(request: HttpRequest) -> HttpResponse:
    if not can_decide(request.user):
        raise PermissionDenied
    decided = (
        Affiliation.objects.exclude(state=Affiliation.State.PENDING)
        .select_related("user", "organization", "decided_by")
        .order_by("-decided_at", "-id")[:20]
    )
    return render(
        request,
        "registry/affiliations/list.html",
        {"pending": list(affiliations_pending()), "decided": list(decided)},
    )


@login_required
def affiliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = affiliation_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST or None, affiliation=affiliation)
    pending = affiliation.state == Affiliation.State.PENDING
    if request.method == "POST" and not pending:
        messages.error(request, _("This request has already been decided."))
        return redirect("affiliation-detail", pk=affiliation.pk)
    if request.method == "POST" and form.is_valid():
        approve = request.POST.get("decision") == "approve"
        try:
            affiliation_decide(
                user=request.user,  # type: ignore[arg-type]
                affiliation=affiliation,
                approve=approve,
                organization=form.cleaned_data["organization"] if approve else None,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            for name, errors in (exc.errors or {"__all__": [exc.message]}).items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("Link approved.") if approve else _("Request rejected."))
            return redirect("affiliation-list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "registry/affiliations/detail.html",
        {"affiliation": affiliation, "form": form, "pending": pending},
        status=status,
    )
