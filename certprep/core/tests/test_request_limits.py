"""Upload bodies are refused by their announced size before anything reads them, each route with its
own bound; a file whose real size is over the bound is refused before it is read into memory."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.core.request_limits import MB, read_upload

HUGE = str(800 * MB)


def _post_claiming(client, url, length: str, **extra):
    """A small multipart body that claims to be `length` bytes long. Had anything read it, the answer would
    be the page's own complaint about a broken upload, not 413."""
    return client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"PK")}, CONTENT_LENGTH=length, **extra)


@pytest.mark.parametrize(
    ("route", "limit"),
    [
        ("survey:people_import", "5"),
        ("responsibilities:import", "5"),
        ("engagements:import", "50"),
    ],
)
def test_an_800_mb_upload_to_a_page_is_refused_unread_naming_the_routes_bound(owner_client, engagement, route, limit):
    url = reverse(route) if route == "engagements:import" else reverse(route, args=[engagement.pk])
    page = _post_claiming(owner_client, url, HUGE)
    assert page.status_code == 413
    text = page.content.decode()
    assert f"The upload is 800 MB; this accepts files of at most {limit} MB." in text
    assert "Nothing was saved" in text


def test_an_upload_just_over_a_spreadsheet_bound_is_refused_and_one_under_is_read(owner_client, engagement):
    url = reverse("survey:people_import", args=[engagement.pk])
    assert _post_claiming(owner_client, url, str(6 * MB)).status_code == 413
    under = owner_client.post(url, {"file": SimpleUploadedFile("people.csv", b"Name\nAlice Admin\n")})
    assert under.status_code in (200, 302)


def test_the_framework_import_page_has_its_own_bound(client, owner, catalogue):
    owner.is_staff = True
    owner.save()
    client.force_login(owner)
    page = _post_claiming(client, reverse("catalogue:import"), str(9 * MB))
    assert page.status_code == 413
    assert "at most 8 MB" in page.content.decode()


def test_any_other_page_takes_at_most_one_evidence_file(owner_client, engagement):
    page = owner_client.post(
        reverse("engagements:settings", args=[engagement.pk]), {"name": "x"}, CONTENT_LENGTH=str(11 * MB)
    )
    assert page.status_code == 413
    assert "at most 10 MB" in page.content.decode()


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/api/v1/engagements/import", "50"),
        ("/api/v1/engagements/{id}/people/import", "5"),
        ("/api/v1/catalogue/frameworks", "8"),
    ],
)
def test_an_upload_to_the_api_is_refused_unread_as_json(client, owner, engagement, api_token, path, limit):
    owner.is_staff = True
    owner.save()
    headers = {"authorization": f"Bearer {api_token(owner)}"}
    url = path.format(id=engagement.pk)
    huge = _post_claiming(client, url, HUGE, headers=headers)
    assert huge.status_code == 413
    assert huge.json() == {
        "detail": "The upload is 800 MB; no upload to the API may be larger than 51 MB.",
        "field": None,
    }
    over = _post_claiming(client, url, str((int(limit) + 1) * MB), headers=headers)
    assert over.status_code == 413
    assert over.json()["detail"] == f"The upload is {int(limit) + 1} MB; this accepts files of at most {limit} MB."


def test_read_upload_checks_the_real_size_before_reading():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args, **kwargs):
            raise AssertionError("the file was read")

    big = Unreadable("big.xlsx", b"x")
    big.size = 6 * MB
    with pytest.raises(ServiceError, match="The file is larger than 5 MB."):
        read_upload(big, max_bytes=5 * MB)
    assert read_upload(SimpleUploadedFile("small.csv", b"a,b"), max_bytes=5 * MB) == b"a,b"
