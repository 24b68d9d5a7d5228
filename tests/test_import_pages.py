"""One rule for every page that imports a file into an engagement (core.imports): editors and owners open it;
a viewer gets 403 on GET and POST alike, like on every other write page, and is not shown the way there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from certprep.gaps.tests.factories import assessment, member

pytestmark = pytest.mark.django_db

IMPORT_PAGES: dict[str, Callable[[Any, Any], str]] = {
    "people": lambda e, a: reverse("survey:people_import", args=[e.pk]),
    "responsibility matrix": lambda e, a: reverse("responsibilities:import", args=[e.pk]),
    "assessment workbook": lambda e, a: reverse("gaps:import", args=[e.pk, a.pk]),
    "budget lines": lambda e, a: reverse("budget:import", args=[e.pk]),
}


@pytest.fixture
def baseline(engagement, owner, catalogue):
    return assessment(engagement, owner)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", IMPORT_PAGES)
def test_a_viewer_gets_403_on_every_import_page_for_get_and_post(engagement, owner, baseline, page):
    viewer = _client(member(engagement, owner, "vera", "viewer"))
    url = IMPORT_PAGES[page](engagement, baseline)
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, {"file": SimpleUploadedFile("list.xlsx", b"x")}).status_code == 403


@pytest.mark.parametrize("page", IMPORT_PAGES)
def test_an_editor_opens_every_import_page(engagement, owner, baseline, page):
    editor = _client(member(engagement, owner, "eddie", "editor"))
    page_html = editor.get(IMPORT_PAGES[page](engagement, baseline))
    assert page_html.status_code == 200
    assert 'name="file"' in page_html.content.decode()


def test_a_viewer_is_not_shown_the_way_to_an_import_page(engagement, owner, baseline):
    viewer = _client(member(engagement, owner, "vera", "viewer"))
    pages = {
        reverse("survey:people", args=[engagement.pk]): IMPORT_PAGES["people"],
        reverse("responsibilities:matrix", args=[engagement.pk]): IMPORT_PAGES["responsibility matrix"],
        reverse("gaps:assessment", args=[engagement.pk, baseline.pk]): IMPORT_PAGES["assessment workbook"],
    }
    for listing, import_url in pages.items():
        body = viewer.get(listing).content.decode()
        assert import_url(engagement, baseline) not in body, listing
