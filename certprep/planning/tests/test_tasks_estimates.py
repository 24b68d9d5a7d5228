"""The three-point estimate of a task (optimistic, most likely = the duration, pessimistic), as the schedule risk
analysis reads it: optional, set and cleared in the task form and through the API, refused when it does not
bracket the duration."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.planning.models import Task
from certprep.planning.services.tasks import task_update
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(engagement):
    return plan_world(engagement)["task"]  # "Design", 5 working days


def _form(task, **changes):
    data = {
        "expected_version": task.version,
        "name": task.name,
        "name_zh": "",
        "duration_days": task.duration_days,
        "optimistic_days": "",
        "pessimistic_days": "",
        "predecessors": "",
        "percent_complete": 0,
        "constraint_type": "ASAP",
        "notes": "",
    }
    data.update(changes)
    return data


def test_the_form_saves_an_estimate_around_the_duration_and_clears_it_again(owner_client, engagement, task):
    url = reverse("planning:task_edit", args=[engagement.pk, task.pk])
    page = owner_client.get(url).content.decode()
    assert 'name="optimistic_days"' in page
    assert "schedule risk analysis" in page
    response = owner_client.post(url, _form(task, optimistic_days=3, pessimistic_days=12))
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.optimistic_days, task.duration_days, task.pessimistic_days) == (3, 5, 12)
    response = owner_client.post(url, _form(task))
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.optimistic_days, task.pessimistic_days) == (None, None)


def test_the_form_names_an_optimistic_duration_longer_than_the_duration(owner_client, engagement, task):
    url = reverse("planning:task_edit", args=[engagement.pk, task.pk])
    response = owner_client.post(url, _form(task, optimistic_days=6, pessimistic_days=8))
    assert response.status_code == 200
    assert "The optimistic duration cannot be longer than the duration" in response.content.decode()
    task.refresh_from_db()
    assert task.optimistic_days is None


@pytest.mark.parametrize(
    ("optimistic", "duration", "pessimistic", "field"),
    [(6, 5, 9, "optimistic_days"), (2, 5, 4, "pessimistic_days"), (None, 8, 7, "pessimistic_days")],
)
def test_an_estimate_that_does_not_bracket_the_duration_is_refused(
    task, owner, optimistic, duration, pessimistic, field
):
    with pytest.raises(ServiceError) as refused:
        task_update(
            task=task,
            actor=owner,
            expected_version=task.version,
            duration_days=duration,
            optimistic_days=optimistic,
            pessimistic_days=pessimistic,
        )
    assert refused.value.field == field
    assert Task.objects.get(pk=task.pk).duration_days == 5


def test_a_duration_changed_beyond_the_estimate_is_refused(task, owner):
    task_update(task=task, actor=owner, expected_version=task.version, optimistic_days=4, pessimistic_days=9)
    with pytest.raises(ServiceError) as refused:
        task_update(task=task, actor=owner, expected_version=task.version, duration_days=10)
    assert refused.value.field == "pessimistic_days"


def test_the_api_reads_sets_and_clears_the_estimate(client, engagement, owner, api_token, task):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    path = f"/api/v1/engagements/{engagement.pk}/plan/tasks/{task.pk}"

    def patch(body):
        return client.patch(path, json.dumps(body), content_type="application/json", **headers)

    assert client.get(path, **headers).json()["optimistic_days"] is None
    refused = patch({"version": task.version, "optimistic_days": 7})
    assert refused.status_code == 400
    assert refused.json()["field"] == "optimistic_days"
    saved = patch({"version": task.version, "optimistic_days": 4, "pessimistic_days": 15})
    assert saved.status_code == 200, saved.content
    assert (saved.json()["optimistic_days"], saved.json()["pessimistic_days"]) == (4, 15)
    cleared = patch({"version": saved.json()["version"], "pessimistic_days": None})
    assert cleared.status_code == 200
    assert cleared.json()["pessimistic_days"] is None
    assert cleared.json()["optimistic_days"] == 4
