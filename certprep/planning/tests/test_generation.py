"""Generating and regenerating an engagement's plan through the services, on the real database."""

from __future__ import annotations

import pytest

from certprep.core.errors import ConflictError, ServiceError
from certprep.engagements.models import OrganizationProfile
from certprep.gaps.choices import TopicGrouping
from certprep.gaps.models import ImprovementTopic
from certprep.gaps.services.topics import topic_create
from certprep.people.choices import SmsRole
from certprep.people.tests.factories import person
from certprep.planning.choices import TaskOrigin
from certprep.planning.models import Calendar, Dependency, Task
from certprep.planning.regeneration import ChangeKind, default_selection
from certprep.planning.selectors.plan import regeneration
from certprep.planning.services.generation import plan_generate, plan_regenerate


def _task(plan, key):
    return Task.objects.get(plan=plan, origin_key=key)


def _process_topic(engagement, owner, title, code):
    topic = topic_create(engagement=engagement, actor=owner, title=title)
    ImprovementTopic.objects.filter(pk=topic.pk).update(grouping=TopicGrouping.PROCESS, group_key=code)
    return topic


def test_a_new_engagement_gets_a_default_plan_with_every_process_and_its_calendar(catalogue, engagement, owner):
    plan = plan_generate(engagement=engagement, actor=owner)
    keys = set(Task.objects.filter(plan=plan).values_list("origin_key", flat=True))
    assert {"stage:preparation", "stage:certification", "task:trial-operation", "task:stage1"} <= keys
    assert len([key for key in keys if key.startswith("process:") and key.endswith(":design")]) == 13
    design = _task(plan, "process:change:design")
    assert design.outline_level == 4
    assert design.parent.origin_key == "process:change"
    assert design.rule == "process.gap"
    assert design.reason["assessed"] is False
    assert design.translations["zh-hans"]["name"].startswith("变更管理：")
    stage1 = _task(plan, "task:stage1")
    assert set(stage1.predecessor_links.values_list("predecessor__origin_key", flat=True)) == {
        "task:trial-operation",
        "task:management-review",
        "task:book-audits",
    }
    assert Calendar.objects.get(engagement=engagement).workweek == [0, 1, 2, 3, 4]
    with pytest.raises(ServiceError, match="regenerate"):
        plan_generate(engagement=engagement, actor=owner)


def test_role_holders_and_topic_owners_become_assignees_and_topics_become_linked_tasks(catalogue, engagement, owner):
    ann = person(engagement, "Ann Lee", pairs=[(SmsRole.PROCESS_OWNER, "change")])
    bob = person(engagement, "Bob Wu", pairs=[(SmsRole.PROCESS_COORDINATOR, "change")])
    sam = person(engagement, "Sam Ho", roles=[SmsRole.SMS_MANAGER])
    topic = _process_topic(engagement, owner, "Set up a change advisory board", "change")
    ImprovementTopic.objects.filter(pk=topic.pk).update(owner=bob)
    plan = plan_generate(engagement=engagement, actor=owner)
    assert list(_task(plan, "process:change:design").assignments.values_list("person", flat=True)) == [ann.pk]
    assert set(_task(plan, "process:change:document").assignments.values_list("person", flat=True)) == {ann.pk, bob.pk}
    assert list(_task(plan, "task:kickoff").assignments.values_list("person", flat=True)) == [sam.pk]
    topic_task = _task(plan, f"topic:{topic.pk}")
    assert topic_task.topic == topic
    assert topic_task.parent.origin_key == "process:change"
    assert list(topic.plan_tasks.all()) == [topic_task]


def test_regenerating_keeps_edits_unless_confirmed_and_never_drops_manual_tasks(catalogue, engagement, owner):
    topic = _process_topic(engagement, owner, "Write the change policy", "change")
    plan = plan_generate(engagement=engagement, actor=owner)
    Task.objects.filter(plan=plan, origin_key="task:kickoff").update(duration_days=30)  # a person's edit
    topic_task = _task(plan, f"topic:{topic.pk}")
    manual = Task.objects.create(plan=plan, parent=topic_task, name="Ask legal", origin=TaskOrigin.MANUAL, order=1)
    OrganizationProfile.objects.update_or_create(engagement=engagement, defaults={"itil_adoption": "mature"})
    topic.delete()
    new_topic = _process_topic(engagement, owner, "Automate the change calendar", "change")

    changes = {change.id: change for change in regeneration(plan)}
    assert changes["changed:task:kickoff"].overrides_edit
    assert not changes["changed:task:scope"].overrides_edit
    assert changes[f"removed:topic:{topic_task.origin_key.split(':')[1]}"].kind == ChangeKind.REMOVED
    assert f"added:topic:{new_topic.pk}" in changes

    plan.refresh_from_db()
    applied = plan_regenerate(
        plan=plan, actor=owner, accepted=default_selection(list(changes.values())), expected_version=plan.version
    )
    assert "changed:task:kickoff" not in {change.id for change in applied}
    assert _task(plan, "task:kickoff").duration_days == 30
    assert _task(plan, "task:scope").duration_days < 7
    assert not Task.objects.filter(pk=topic_task.pk).exists()
    manual.refresh_from_db()
    assert manual.parent.origin_key == "process:change"
    added = _task(plan, f"topic:{new_topic.pk}")
    assert Dependency.objects.filter(successor=added, predecessor__origin_key="process:change:design").exists()
    assert {change.id for change in regeneration(plan)} == {"changed:task:kickoff"}


def test_a_regeneration_on_a_stale_plan_is_refused(catalogue, engagement, owner):
    plan = plan_generate(engagement=engagement, actor=owner)
    stale = plan.version
    plan_regenerate(plan=plan, actor=owner, accepted=[], expected_version=stale)
    with pytest.raises(ConflictError):
        plan_regenerate(plan=plan, actor=owner, accepted=[], expected_version=stale)
