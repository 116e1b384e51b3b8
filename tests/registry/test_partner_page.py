"""A partner's page: its website as a safe link; its agreements, projects and delegations,
each by the audience rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.registry.models import Delegation, Project, ProjectParticipant

pytestmark = pytest.mark.django_db


def test_website_is_a_link_only_for_http(make_org: Any) -> None:
    org = make_org(website="https://www.kiat.or.kr/")
    html = Client().get(f"/registry/partners/{org.pk}/").content.decode()
    assert '<a href="https://www.kiat.or.kr/" rel="noopener nofollow"' in html
    org.website = "ftp://files.example.org/"
    org.save()
    html = Client().get(f"/registry/partners/{org.pk}/").content.decode()
    assert "ftp://files.example.org/" in html
    assert 'href="ftp:' not in html


def test_partner_page_lists_projects_and_delegations(
    make_org: Any, make_agreement: Any, units: Any
) -> None:
    from caunoi.registry.models import AgreementParty

    org = make_org(name_vi="Viện KIAT")
    unit = units["htqt"]
    funded = Project.objects.create(
        title_vi="Dự án tài trợ bán dẫn", kind="oda", funder=org, owner_unit=unit, is_public=True
    )
    joined = Project.objects.create(
        title_vi="Dự án cùng tham gia", kind="oda", owner_unit=unit, is_public=True
    )
    ProjectParticipant.objects.create(project=joined, organization=org)
    hidden = Project.objects.create(
        title_vi="Dự án nội bộ", kind="oda", funder=org, owner_unit=unit, is_public=False
    )
    agreement = make_agreement(title_vi="Thỏa thuận với KIAT")
    AgreementParty.objects.create(agreement=agreement, side="foreign", organization=org)
    trip = Delegation.objects.create(
        title_vi="Đoàn công tác sang KIAT",
        direction="out",
        owner_unit=unit,
        start_on="2024-01-01",
        end_on="2024-01-02",
        agreement=agreement,
        is_public=True,
    )
    html = Client().get(f"/registry/partners/{org.pk}/").content.decode()
    for record in (funded, joined, agreement, trip):
        assert record.get_absolute_url() in html, record
    assert hidden.title_vi not in html  # anonymous readers see public records only
