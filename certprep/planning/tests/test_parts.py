"""The plan's part: the demo engagement's partly done plan, the plan's section of the engagement file (a lossless
round trip through the real export and import, references checked), and its dashboard card."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.planning.models import Assignment, Calendar, Task
from certprep.planning.parts import part
from certprep.planning.selectors.page import plan_page
from certprep.planning.services.generation import plan_generate

pytestmark = pytest.mark.django_db


def _demo():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    return demo, Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)[0]


def test_the_demo_engagement_has_a_generated_partly_done_plan():
    _user, engagement = _demo()
    tasks = Task.objects.filter(plan__engagement=engagement)
    assert tasks.filter(origin_key="task:stage1").exists()
    done = tasks.filter(percent_complete=100)
    assert done.exists()
    assert all(task.actual_start and task.actual_finish for task in done)
    assert tasks.filter(percent_complete__gt=0, percent_complete__lt=100, actual_finish=None).exists()
    assert tasks.filter(percent_complete=0, actual_start=None).count() > done.count()
    assert Calendar.objects.get(engagement=engagement).country == "CN"
    assert Assignment.objects.filter(task__plan__engagement=engagement).exists()
    assert not plan_page(engagement.plan).problems
    call_command("load_demo", verbosity=0)  # again: the plan is kept as it is
    assert Task.objects.filter(plan__engagement=engagement).count() == tasks.count()


def test_the_plan_travels_in_the_engagement_file_without_loss():
    user, engagement = _demo()
    exported = engagement_export(engagement)
    section = exported["plan"]
    assert section["plan"]["start_date"]
    assert any(task["topic"] is not None for task in section["tasks"])
    assert any(task["assignments"] for task in section["tasks"])
    copy_ = _import(exported, user)
    again = engagement_export(copy_)["plan"]
    assert again == section
    before, after = plan_page(engagement.plan), plan_page(copy_.plan)
    assert [(r.wbs, r.task.name, r.start, r.finish, r.predecessors, r.assignees) for r in after.rows] == [
        (r.wbs, r.task.name, r.start, r.finish, r.predecessors, r.assignees) for r in before.rows
    ]
    linked = Task.objects.filter(plan=copy_.plan, topic__isnull=False).select_related("topic").first()
    assert linked.topic.engagement_id == copy_.pk


def test_a_file_without_a_plan_section_imports_an_engagement_without_a_plan(catalogue, engagement, owner):
    document = engagement_export(engagement)
    document.pop("plan")
    copy_ = _import(document, owner)
    assert not Task.objects.filter(plan__engagement=copy_).exists()


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda s: s["tasks"][1].update(parent=5), "parent that does not come before it"),
        (lambda s: s["dependencies"].append({"predecessor": 0, "successor": 0}), "a task itself"),
        (lambda s: s["tasks"][3]["assignments"].append({"person": 9999, "share": 50}), "a person the file"),
        (lambda s: s["tasks"][3].update(topic=9999), "improvement topic the file does not have"),
    ],
)
def test_a_plan_section_pointing_nowhere_is_refused_and_nothing_is_kept(catalogue, engagement, owner, damage, named):
    plan_generate(engagement=engagement, actor=owner)
    document = engagement_export(engagement)
    damaged = copy.deepcopy(document)
    damage(damaged["plan"])
    count = Engagement.objects.count()
    with CaptureQueriesContext(connection) as queries, pytest.raises(ServiceError, match=named):
        _import(damaged, owner)
    assert Engagement.objects.count() == count
    # Refused while the file is checked, before the import writes anything (not rolled back afterwards).
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]


def test_the_dashboard_card_reads_the_plan_in_one_query_at_any_size(owner_client, catalogue, engagement, owner):
    url = reverse("engagements:dashboard", args=[engagement.pk])
    assert "No plan yet." in owner_client.get(url).content.decode()
    plan = plan_generate(engagement=engagement, actor=owner)
    with CaptureQueriesContext(connection) as small:
        status = part.card.status(engagement)
    Task.objects.filter(plan=plan, origin_key="task:stage1").update(percent_complete=100)
    parent = Task.objects.get(plan=plan, origin_key="stage:preparation")
    Task.objects.bulk_create(Task(plan=plan, parent=parent, order=9000 + n, name=f"T{n}") for n in range(40))
    with CaptureQueriesContext(connection) as large:
        bigger = part.card.status(engagement)
    assert len(small.captured_queries) == len(large.captured_queries) == 1
    assert bigger["tasks"] == status["tasks"] + 40
    assert bigger["done"] == 1
    body = owner_client.get(url).content.decode()
    assert f"{bigger['tasks']} tasks, 1 finished." in body
    assert reverse("planning:plan", args=[engagement.pk]) in body
