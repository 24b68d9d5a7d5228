"""What every API client can rely on: the description lists every status an operation answers, with the one
error shape, and every answer under /api/ is JSON in that shape (also a lock-out, an unknown path, a body
too large or unreadable, a server error)."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError

from certprep.api import api
from certprep.core.uploads import ALLOWED_TYPES
from certprep.engagements.models import Engagement
from certprep.gaps.tests.world import gap_world

pytestmark = pytest.mark.django_db

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
INVALID = {"$ref": "#/components/schemas/ValidationErrorOut"}


@pytest.fixture
def send(client, owner, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}

    def send(method, path, body=None, *, raw=None):
        if method == "get":
            return client.get(f"/api/v1{path}", **headers)
        data = raw if raw is not None else json.dumps(body)
        return getattr(client, method)(f"/api/v1{path}", data, content_type="application/json", **headers)

    return send


def operations():
    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def error_schema(operation, status):
    return operation["responses"][status]["content"]["application/json"]["schema"]


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["field"] == field
    return body


# --- the description --------------------------------------------------------------------------------------


def test_an_authenticated_write_documents_401_and_422_with_the_error_shapes():
    patch = dict(operations())["PATCH /api/v1/engagements/{engagement_id}"]
    assert error_schema(patch, 401) == ERROR
    assert error_schema(patch, 422) == INVALID
    assert {400, 401, 403, 404, 409, 413, 422} <= set(patch["responses"])


def test_every_operation_documents_the_statuses_its_shape_can_answer():
    for label, operation in operations():
        statuses = set(operation["responses"])
        parameters = operation.get("parameters", [])
        if operation.get("security"):
            assert 401 in statuses, label
        if parameters or "requestBody" in operation:
            assert error_schema(operation, 422) == INVALID, label
        if any(p["in"] == "path" for p in parameters):
            assert error_schema(operation, 404) == ERROR, label
        if "requestBody" in operation:
            assert error_schema(operation, 400) == ERROR, label
            assert error_schema(operation, 413) == ERROR, label
        assert error_schema(operation, 503) == ERROR, label
        assert "Retry-After" in operation["responses"][503]["headers"], label
        for status in statuses - {422}:
            if status >= 400:
                assert error_schema(operation, status) == ERROR, (label, status)


def test_one_error_schema_serves_every_operation():
    components = api.get_openapi_schema()["components"]["schemas"]
    assert set(components["ErrorOut"]["properties"]) == {"detail", "field"}
    assert set(components["ValidationErrorOut"]["properties"]) == {"detail", "field", "errors"}
    assert not [
        name for name in components if name.endswith("ErrorOut") and name not in ("ErrorOut", "ValidationErrorOut")
    ]


def test_the_token_request_documents_its_lock_out():
    token = dict(operations())["POST /api/v1/auth/token"]
    assert error_schema(token, 429) == ERROR
    assert 401 in token["responses"]


def test_the_evidence_download_documents_the_type_it_answers_with(
    client, owner, engagement, catalogue, api_token, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evidence = gap_world(engagement, owner)["evidence"]
    download = dict(operations())["GET /api/v1/engagements/{engagement_id}/gaps/evidence/{evidence_id}/download"]
    documented = set(download["responses"][200]["content"])
    assert set(ALLOWED_TYPES.values()) <= documented
    assert "application/pdf" in documented
    response = client.get(
        f"/api/v1/engagements/{engagement.pk}/gaps/evidence/{evidence.pk}/download",
        HTTP_AUTHORIZATION=f"Bearer {api_token(owner)}",
    )
    assert response.status_code == 200
    assert response["Content-Type"] in documented


def test_an_uploaded_file_is_documented_as_not_empty():
    upload = dict(operations())["POST /api/v1/engagements/{engagement_id}/people/import"]
    file = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["file"]
    assert file["format"] == "binary"
    assert file["minLength"] == 1


# --- JSON on every route -----------------------------------------------------------------------------------


def test_an_id_beyond_64_bits_in_an_api_path_answers_json_404(send):
    assert_error(send("get", f"/engagements/{2**70}"), 404)
    assert_error(send("get", f"/engagements/{2**70}/gaps/topics/{2**70}"), 404)


def test_a_path_no_api_route_matches_answers_json_404(send):
    assert_error(send("get", "/engagements/1/nothing-here"), 404)


def test_a_method_a_route_does_not_take_answers_json_405_with_allow(send):
    response = send("put", "/engagements", {})
    assert_error(response, 405)
    assert "GET" in response["Allow"]
    assert "POST" in response["Allow"]


def test_a_locked_out_token_request_answers_json_429(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token", {"username": "olivia", "password": "nope"}, content_type="application/json")
    locked = client.post(
        "/api/v1/auth/token", {"username": "olivia", "password": "nope"}, content_type="application/json"
    )
    body = assert_error(locked, 429)
    assert "Try again later" in body["detail"]


def test_a_server_error_on_an_api_route_answers_json_500(client, owner, api_token, monkeypatch):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("certprep.engagements.selectors.engagements_for_user", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/engagements", HTTP_AUTHORIZATION=f"Bearer {api_token(owner)}")
    assert_error(response, 500)
    assert "boom" not in response.json()["detail"]


def test_a_busy_database_answers_json_503_with_retry_after_as_documented(send, engagement, monkeypatch):
    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("certprep.engagements.services.engagement_update", busy)
    response = send("patch", f"/engagements/{engagement.pk}", {"version": 1, "name": "Renamed"})
    assert_error(response, 503)
    assert int(response["Retry-After"]) > 0
    assert 503 in dict(operations())["PATCH /api/v1/engagements/{engagement_id}"]["responses"]


def test_a_body_over_the_request_limit_answers_json_413_naming_the_limit(send, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = assert_error(send("post", "/engagements", {"name": "x" * 2000, "organization_name": "Org"}), 413)
    assert "1000" in body["detail"]


def test_a_body_that_is_not_json_answers_json_400(send):
    assert_error(send("post", "/engagements", raw="{name:"), 400)
    assert_error(send("post", "/engagements", raw='{"name": "A", "organization_name": "B", "x": NaN}'), 400)
    assert not Engagement.objects.filter(name="A").exists()


def test_no_two_schemas_share_a_name_in_the_description():
    """django-ninja files each schema under its class name: a second class of the same name in another app
    silently takes the first one's place, and every operation of the first then documents the wrong shape
    (the campaigns' rates were described as the budget's exchange rates). Every schema class the API uses has
    its own name."""
    from ninja import Schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    api.get_openapi_schema()  # every router is mounted and its schemas imported
    names: dict[str, set[str]] = {}
    for cls in subclasses(Schema):
        if cls.__module__.startswith("certprep.") and ".api" in cls.__module__:
            names.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {name: sorted(mods) for name, mods in names.items() if len(mods) > 1} == {}
