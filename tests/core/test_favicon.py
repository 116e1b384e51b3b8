"""Browsers ask for /favicon.ico whatever a page links: it leads to our own SVG icon, which
every page also links, so no console error from a 404."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_static_icon() -> None:
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    path = finders.find("favicon.svg")
    assert path, "favicon.svg is not among the static files"
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")


def test_every_page_links_the_icon() -> None:
    page = Client().get("/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
