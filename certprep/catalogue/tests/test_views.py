from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.catalogue import services
from certprep.catalogue.models import Framework
from certprep.catalogue.tests.test_selectors import _generated

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def staff_client(client, owner):
    owner.is_staff = True
    owner.save()
    client.force_login(owner)
    return client


def test_the_catalogue_shows_the_iso_tree_with_paraphrase_and_evidence(owner_client, catalogue):
    body = owner_client.get(reverse("catalogue:detail", args=[catalogue.pk])).content.decode()
    assert "8.6.1" in body
    assert "Incident management" in body
    assert "Typical evidence" in body


def test_search_and_process_filter_narrow_the_tree(owner_client, catalogue):
    url = reverse("catalogue:detail", args=[catalogue.pk])
    body = owner_client.get(url, {"q": "变更"}).content.decode()
    assert "8.5.1.1" in body
    assert "8.6.1" not in body
    body = owner_client.get(url, {"process": "incident"}).content.decode()
    assert "8.6.2" in body
    assert "8.5.3" not in body


def test_the_catalogue_speaks_chinese(owner_client, catalogue):
    owner_client.cookies["django_language"] = "zh-hans"
    body = owner_client.get(reverse("catalogue:detail", args=[catalogue.pk])).content.decode()
    assert "事件管理" in body
    assert "典型证据" in body


def test_only_staff_see_and_use_the_import_form(owner_client, owner, no_catalogue):
    body = owner_client.get(reverse("catalogue:list")).content.decode()
    assert 'enctype="multipart/form-data"' not in body
    upload = SimpleUploadedFile("f.yaml", (SAMPLES / "certprep_small.yaml").read_bytes())
    response = owner_client.post(reverse("catalogue:import"), {"file": upload})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Framework.objects.exists()


def test_staff_import_a_framework_and_see_what_changed(staff_client, no_catalogue):
    upload = SimpleUploadedFile("f.yaml", (SAMPLES / "certprep_small.yaml").read_bytes())
    body = staff_client.post(reverse("catalogue:import"), {"file": upload}, follow=True).content.decode()
    assert "imported:" in body
    assert Framework.objects.count() == 1


def test_a_malformed_file_is_refused_whole_with_its_line(staff_client, no_catalogue):
    upload = SimpleUploadedFile("bad.yaml", (SAMPLES / "bad_unknown_parent.yaml").read_bytes())
    body = staff_client.post(reverse("catalogue:import"), {"file": upload}, follow=True).content.decode()
    assert "Nothing was imported." in body
    assert "line 19" in body
    assert "parent_urn" in body
    assert not Framework.objects.exists()


def test_staff_import_through_the_api(client, owner, api_token):
    owner.is_staff = True
    owner.save()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    upload = SimpleUploadedFile("f.yaml", (SAMPLES / "certprep_small.yaml").read_bytes())
    response = client.post("/api/v1/catalogue/frameworks", {"file": upload}, **headers)
    assert response.status_code == 201
    assert response.json()["created"] is True
    bad = SimpleUploadedFile("bad.yaml", (SAMPLES / "bad_unknown_parent.yaml").read_bytes())
    response = client.post("/api/v1/catalogue/frameworks", {"file": bad}, **headers)
    assert response.status_code == 400
    assert "line 19" in response.json()["detail"]


def test_the_tree_page_keeps_its_query_count_whatever_the_framework_size(owner_client):
    counts = []
    for size in (20, 600):
        framework = services.framework_import(data=_generated(size)).framework
        with CaptureQueriesContext(connection) as queries:
            assert (
                owner_client.get(reverse("catalogue:detail", args=[framework.pk]), {"q": "clause"}).status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_process_lens_page_maps_each_process_to_its_2018_clauses(owner_client, catalogue):
    lens = catalogue.lenses.get()
    with CaptureQueriesContext(connection) as queries:
        body = owner_client.get(reverse("catalogue:lens", args=[lens.pk])).content.decode()
    assert "Service level management" in body
    assert "8.3.3" in body
    assert "8.2.4" in body
    assert body.count("?process=") == 13
    assert len(queries) < 12
