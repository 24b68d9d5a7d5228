"""schemathesis against the OpenAPI description: no route answers 500 to any generated input, and
documented responses match their schemas. Path ids point at real objects so bodies reach the services."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from certprep.engagements import services
from certprep.engagements.tests.factories import UserFactory
from certprep.gaps.tests.world import gap_world
from certprep.survey.tests.factories import survey_world

# Loading the description needs no database; requests made later run inside each test's transaction.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler would close the test transaction's connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(engagement, owner, catalogue, api_token):
    member = services.member_add(engagement=engagement, actor=owner, user=UserFactory(username="fuzzed"), role="editor")
    owner.is_staff = True
    owner.save()
    survey = survey_world(engagement, owner)
    survey.update(gap_world(engagement, owner))
    return {
        "token": api_token(owner),
        "ids": {
            "engagement_id": engagement.pk,
            "member_id": member.pk,
            "framework_id": catalogue.pk,
            "lens_id": catalogue.lenses.first().pk,
            **{f"{name}_id": obj.pk for name, obj in survey.items()},
            "process_code": "incident",
        },
    }


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_api_route_answers_500(case, fuzz_world):
    for name, value in fuzz_world["ids"].items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_world['token']}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
