"""schemathesis against the OpenAPI description, with every check it has: no 500, every status, content type,
header and body as documented, valid input accepted, invalid input refused, a missing token answered 401.
Nothing is excluded. Path ids point at real objects, so generated bodies reach the services.

Generated requests per operation: CERTPREP_FUZZ_EXAMPLES, 25 by default as `make test` runs it (about two
minutes of CPU for the 113 operations), 200 in `make fuzz` for a deeper run. The seed is fixed so a run can be
repeated; CERTPREP_FUZZ_SEED draws other requests. Marked `fuzz`: it runs once, on SQLite.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from certprep.engagements import services
from certprep.engagements.tests.factories import UserFactory
from certprep.gaps.tests.world import gap_world
from certprep.survey.tests.factories import survey_world

EXAMPLES = int(os.environ.get("CERTPREP_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("CERTPREP_FUZZ_SEED", "20000"))

# Well-formed input may still break a rule of the domain (an id in the body that names nothing of the
# engagement, a closed assessment): this API answers that with 400 naming the field, as documented. The
# other statuses are schemathesis's own default for valid data.
ACCEPTED = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
CONFIG = SchemathesisConfig.from_dict(
    {"seed": SEED, "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
)

pytestmark = pytest.mark.fuzz

# Loading the description needs no database; requests made later run inside each test's transaction.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


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
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_answers_as_its_description_says(case, fuzz_world):
    # A generated path id names nothing and a generated token is no token: real ones let the request reach
    # the services. What was made invalid on purpose (negative data, a left-out token) is sent as it is.
    if case.path_parameters and not _negative_at(case, ParameterLocation.PATH):
        for name, value in fuzz_world["ids"].items():
            if name in case.path_parameters:
                case.path_parameters[name] = value
    if case.headers and "Authorization" in case.headers and not _negative_at(case, ParameterLocation.HEADER):
        case.headers["Authorization"] = f"Bearer {fuzz_world['token']}"
    case.call_and_validate()


def _negative_at(case, location):
    return bool(case.meta and case.meta.is_negative_at(location))
