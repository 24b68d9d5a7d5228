"""/healthz and /readyz: the answers a load balancer reads, with no sign-in, no session and no secret in them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.utils import OperationalError

from certprep.core.tests.s3 import running_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def object_store(settings):
    with running_store(settings) as store:
        yield store


def test_healthz_says_the_process_is_alive_without_a_session_or_a_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_200_when_the_database_and_the_local_folder_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert not response.cookies


def test_readyz_answers_503_naming_the_database_when_it_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection to server at 10.1.2.3 failed for user certprep")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "OperationalError", "storage": "ok"}
    assert client.get("/healthz").status_code == 200  # alive all the same: no restart for a database outage


def test_readyz_follows_the_object_store_and_never_shows_its_address_or_keys(client, object_store):
    up = client.get("/readyz")
    assert up.status_code == 200, up.content
    assert up.json() == {"status": "ok", "database": "ok", "storage": "ok"}

    object_store.stop()
    down = client.get("/readyz")
    assert down.status_code == 503
    answer = down.json()
    assert answer["status"] == "unavailable"
    assert answer["database"] == "ok"
    assert answer["storage"] not in ("", "ok")
    text = down.content.decode()
    for secret in (*object_store.environ.values(), "127.0.0.1", "http"):
        if secret != object_store.environ["CERTPREP_S3_ADDRESSING_STYLE"]:
            assert secret.strip("/") not in text
    assert client.get("/healthz").status_code == 200


def test_the_probes_take_a_get_or_head_only_and_are_not_held_to_the_body_limit(client, settings):
    settings.CERTPREP_MAX_REQUEST_BYTES = 10
    assert client.head("/readyz").status_code == 200
    assert client.post("/healthz", data="x" * 1000, content_type="text/plain").status_code == 405


def test_behind_https_the_probes_still_answer_over_plain_http_while_pages_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # CERTPREP_HTTPS; the exemptions are the production settings' own
    for path in ("/healthz", "/readyz"):
        assert client.get(path).status_code == 200, path
    assert client.get("/accounts/signin/").status_code == 301
