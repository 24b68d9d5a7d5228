"""Instant saves arriving at the same moment, as the assessment screen sends them (one queue per row, so
different rows save in parallel), on a file-backed SQLite with the production settings: every save is
stored and none answers a server error. And a database that stays locked answers 503 "try again"."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
import requests
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

from certprep.gaps.models import Rating
from certprep.gaps.services import assessments as assessment_services
from certprep.gaps.services import ratings as rating_services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ratings(engagement, owner, catalogue):
    assessment = assessment_services.assessment_create(
        engagement=engagement, actor=owner, name="Baseline", assessed_on=datetime.date(2026, 11, 2), framework=catalogue
    )
    return list(Rating.objects.filter(assessment=assessment).order_by("pk")[:12])


def _signed_in_session(client, owner, live_server) -> requests.Session:
    client.force_login(owner)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    page = session.get(live_server.url + reverse("engagements:list"))
    assert page.status_code == 200
    return session


def test_parallel_instant_saves_on_different_rows_are_all_stored(client, owner, engagement, ratings, live_server):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert "test-certprep" in settings.DATABASES["default"]["TEST"]["NAME"]  # a file, not shared memory
    session = _signed_in_session(client, owner, live_server)
    token = session.cookies.get("csrftoken") or ""
    answers: list[int] = []
    start = threading.Barrier(len(ratings))

    def save(rating: Rating) -> None:
        start.wait()
        for level in (1, 2, 3):
            reply = session.post(
                live_server.url + reverse("gaps:rating_save", args=[engagement.pk, rating.pk]),
                data={"version": Rating.objects.get(pk=rating.pk).version, "level": level},
                headers={"X-CSRFToken": token, "Accept": "application/json", "Referer": live_server.url + "/"},
            )
            answers.append(reply.status_code)

    threads = [threading.Thread(target=save, args=(rating,)) for rating in ratings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * (3 * len(ratings))
    assert set(Rating.objects.filter(pk__in=[r.pk for r in ratings]).values_list("level", flat=True)) == {3}


def test_a_database_that_stays_locked_answers_503_with_retry_after_and_changes_nothing(
    owner_client, engagement, ratings
):
    rating = ratings[0]
    with mock.patch.object(rating_services, "rating_update", side_effect=OperationalError("database is locked")):
        reply = owner_client.post(
            reverse("gaps:rating_save", args=[engagement.pk, rating.pk]),
            {"version": rating.version, "level": 2},
            headers={"Accept": "application/json"},
        )
    assert reply.status_code == 503
    assert reply["Retry-After"] == "2"
    assert reply.json()["retry"] is True
    assert "not saved" in reply.json()["detail"]
    rating.refresh_from_db()
    assert rating.level is None


def test_a_locked_database_on_a_form_page_answers_a_page_that_says_what_to_do(owner_client, engagement, ratings):
    rating = ratings[0]
    with mock.patch.object(rating_services, "rating_update", side_effect=OperationalError("database is locked")):
        reply = owner_client.post(
            reverse("gaps:rating_save", args=[engagement.pk, rating.pk]), {"version": rating.version, "level": 2}
        )
    assert reply.status_code == 503
    assert "Go back with your browser: what you typed is still in the form." in reply.content.decode()


def test_a_broken_query_is_still_a_server_error_not_a_busy_database(owner_client, engagement, ratings):
    rating = ratings[0]
    owner_client.raise_request_exception = True
    with (
        mock.patch.object(rating_services, "rating_update", side_effect=OperationalError("no such column: level")),
        pytest.raises(OperationalError),
    ):
        owner_client.post(
            reverse("gaps:rating_save", args=[engagement.pk, rating.pk]), {"version": rating.version, "level": 2}
        )
