"""The estimate table of the risk page: an editor gives many tasks their three-point estimates at once (the task
form's rules and audit trail), a row breaking a rule is named and nothing is saved, a stale table gets the
conflict message; viewers 403, outsiders 404; the same number of queries at two plan sizes."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.core.models import AuditEntry
from certprep.gaps.tests.factories import member
from certprep.planning.models import Task
from certprep.planning.services.generation import plan_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(catalogue, engagement, owner):
    return plan_generate(engagement=engagement, actor=owner)


def _form(body: str) -> dict[str, str]:
    fields = dict(re.findall(r'name="((?:optimistic|pessimistic|version)_\d+)" value="([^"]*)"', body))
    fields.update(dict(re.findall(r'type="hidden" name="(version_\d+)" value="(\d+)"', body)))
    return fields


def test_an_editor_saves_estimates_of_several_tasks_at_once(owner_client, engagement, plan):
    url = reverse("planning:risk_estimates", args=[engagement.pk])
    data = _form(owner_client.get(url).content.decode())
    trial = Task.objects.get(plan=plan, origin_key="task:trial-operation")
    stage1 = Task.objects.get(plan=plan, origin_key="task:stage1")
    data[f"optimistic_{trial.pk}"], data[f"pessimistic_{trial.pk}"] = trial.duration_days - 5, trial.duration_days + 20
    data[f"optimistic_{stage1.pk}"], data[f"pessimistic_{stage1.pk}"] = stage1.duration_days, stage1.duration_days + 1
    response = owner_client.post(url, data, follow=True)
    assert "Estimates saved: 2 tasks changed." in response.content.decode()
    trial.refresh_from_db()
    assert (trial.optimistic_days, trial.pessimistic_days, trial.version) == (
        trial.duration_days - 5,
        trial.duration_days + 20,
        2,
    )
    assert AuditEntry.objects.filter(object_type="planning.task", object_id=str(trial.pk), action="update").exists()


def test_a_row_breaking_a_rule_is_named_and_nothing_is_saved(owner_client, engagement, plan):
    url = reverse("planning:risk_estimates", args=[engagement.pk])
    data = _form(owner_client.get(url).content.decode())
    trial = Task.objects.get(plan=plan, origin_key="task:trial-operation")
    stage1 = Task.objects.get(plan=plan, origin_key="task:stage1")
    data[f"optimistic_{stage1.pk}"], data[f"pessimistic_{stage1.pk}"] = 1, 9
    data[f"optimistic_{trial.pk}"] = trial.duration_days + 1
    body = owner_client.post(url, data).content.decode()
    assert f"{trial.name} · optimistic duration (working days): The optimistic duration cannot be longer" in body
    assert not Task.objects.filter(plan=plan, optimistic_days__isnull=False).exists()


def test_a_stale_table_gets_the_conflict_message(owner_client, engagement, plan):
    url = reverse("planning:risk_estimates", args=[engagement.pk])
    data = _form(owner_client.get(url).content.decode())
    trial = Task.objects.get(plan=plan, origin_key="task:trial-operation")
    Task.objects.filter(pk=trial.pk).update(version=5)
    data[f"pessimistic_{trial.pk}"] = trial.duration_days + 3
    body = owner_client.post(url, data).content.decode()
    assert "Open the latest version" in body
    assert Task.objects.get(pk=trial.pk).pessimistic_days is None


def test_viewers_and_outsiders_cannot_open_it(client, outsider_client, engagement, owner, plan):
    url = reverse("planning:risk_estimates", args=[engagement.pk])
    assert outsider_client.get(url).status_code == 404
    client.force_login(member(engagement, owner, "victor", "viewer"))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_the_table_reads_in_the_same_number_of_queries_at_two_sizes(owner_client, engagement, plan):
    url = reverse("planning:risk_estimates", args=[engagement.pk])
    with CaptureQueriesContext(connection) as small:
        owner_client.get(url)
    parent = Task.objects.get(plan=plan, origin_key="stage:preparation")
    for n in range(30):
        Task.objects.create(plan=plan, parent=parent, order=5000 + n, outline_level=2, name=f"Extra {n}")
    with CaptureQueriesContext(connection) as large:
        body = owner_client.get(url).content.decode()
    assert "Extra 29" in body
    assert len(large.captured_queries) == len(small.captured_queries)
