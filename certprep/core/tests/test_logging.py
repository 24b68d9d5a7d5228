"""A refused request is one line on the log, not a traceback; a server error keeps its traceback."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse

from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import UserFactory


def _refused(request):
    raise PermissionDenied("Your role in this engagement (viewer) does not allow this.")


def _broken(request):
    raise RuntimeError("a bug")


def _urlpatterns():
    from config.urls import urlpatterns as project

    return [path("refused/", _refused), path("broken/", _broken), *project]


urlpatterns = _urlpatterns()


@pytest.fixture
def log():
    """What the configured console handler of the request loggers writes (the root's, if they have none)."""
    handler = (logging.getLogger("django.request").handlers or logging.getLogger().handlers)[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_permission_denied_from_a_real_page_logs_one_line(client, engagement, owner, log):
    viewer = UserFactory(username="viv")
    engagement_services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    assert client.get(reverse("survey:person_new", args=[engagement.pk])).status_code == 403
    lines = log.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Forbidden (Permission denied): /e/")
    assert "Traceback" not in log.getvalue()


@pytest.mark.urls(__name__)
def test_every_403_and_400_is_one_line_and_a_500_keeps_its_traceback(client, log, settings):
    assert client.get("/refused/").status_code == 403
    assert client.get("/refused/", HTTP_HOST="evil.example").status_code == 400  # django.security.DisallowedHost
    lines = log.getvalue().splitlines()
    assert len(lines) == 2
    assert "Traceback" not in log.getvalue()
    assert lines[0] == "Forbidden (Permission denied): /refused/"
    assert "evil.example" in lines[1]
    client.raise_request_exception = False
    assert client.get("/broken/").status_code == 500
    assert "Traceback" in log.getvalue()
    assert "RuntimeError: a bug" in log.getvalue()
