"""The generation rules (pure): sizing by maturity, size and gaps, weakest processes first, the trial
operation's minimum length, topics as tasks, and the diff of a regeneration."""

from __future__ import annotations

import datetime
from dataclasses import replace

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from certprep.planning import rules
from certprep.planning.regeneration import ChangeKind, StoredTask, default_selection, plan_diff, snapshot
from certprep.planning.rules import Organization, PlanFacts, ProcessFacts, TopicFacts, generate
from certprep.planning.scheduling import Dependency, Link, Network, Task, schedule
from certprep.planning.template import load_template

ITIL = ["", "none", "awareness", "partial", "broad", "mature"]
CERTS = ["iso9001", "iso27001", "iso20000_2011", "iso22301", "cmmi", "other"]

organizations = st.builds(
    Organization,
    people_in_scope=st.one_of(st.none(), st.integers(1, 100_000)),
    sites=st.integers(0, 40),
    itil_adoption=st.sampled_from(ITIL),
    certifications=st.frozensets(st.sampled_from(CERTS)),
    readiness=st.one_of(st.none(), st.floats(0, 100)),
)
processes = st.lists(
    st.builds(
        ProcessFacts,
        code=st.sampled_from(["change", "incident", "problem", "release", "capacity", "supplier"]),
        name=st.just("P"),
        name_zh=st.just("过程"),
        readiness=st.one_of(st.none(), st.floats(0, 100)),
        documentation_gap=st.one_of(st.none(), st.floats(0, 1)),
    ),
    max_size=6,
    unique_by=lambda p: p.code,
)


def _by_key(facts: PlanFacts) -> dict[str, rules.ProposedTask]:
    return {task.key: task for task in generate(load_template(), facts)}


def _preparation_days(organization: Organization) -> int:
    tasks = generate(load_template(), PlanFacts(organization=organization))
    return sum(task.duration for task in tasks if task.parent == "stage:preparation")


@given(organizations, st.sampled_from(ITIL[1:]), st.frozensets(st.sampled_from(CERTS)), st.floats(0, 100))
def test_a_more_mature_organization_never_gets_a_longer_preliminary_stage(org, itil, more, better) -> None:
    if rules.ITIL_LEVELS[itil] >= rules.ITIL_LEVELS.get(org.itil_adoption, rules.ITIL_UNKNOWN):
        assert _preparation_days(replace(org, itil_adoption=itil)) <= _preparation_days(org)
    assert _preparation_days(replace(org, certifications=org.certifications | more)) <= _preparation_days(org)
    if org.readiness is not None and better >= org.readiness:
        assert _preparation_days(replace(org, readiness=better)) <= _preparation_days(org)


@given(organizations, processes)
def test_weakest_processes_start_first(org, found) -> None:
    tasks = _by_key(PlanFacts(organization=org, processes=tuple(found)))
    lag = {p.code: tasks[f"process:{p.code}:design"].predecessors[0].lag for p in found if rules.has_gap(p)}
    for a in found:
        for b in found:
            if a.code in lag and b.code in lag and rules.gap_share(a) > rules.gap_share(b):
                assert lag[a.code] < lag[b.code]


@given(organizations, st.integers(1, 24), st.sampled_from([5, 6, 7]), st.dates(datetime.date(2024, 1, 1)))
def test_the_trial_operation_lasts_at_least_the_minimum_operating_time(org, months, weekdays, start) -> None:
    facts = PlanFacts(organization=org, minimum_operating_months=months, working_weekdays=weekdays)
    days = _by_key(facts)["task:trial-operation"].duration
    assert days >= rules.operating_days(months, weekdays)
    # Counted on a calendar: the months after any start hold no more working days than the trial lasts.
    end = start + relativedelta(months=months)
    working = sum(1 for n in range((end - start).days) if (start + datetime.timedelta(n)).weekday() < weekdays)
    assert days >= working


def test_a_weak_change_and_a_strong_incident_process_start_and_last_accordingly() -> None:
    change = ProcessFacts("change", "Change management", "变更管理", readiness=15.0, documentation_gap=0.9)
    incident = ProcessFacts("incident", "Incident management", "事件管理", readiness=85.0, documentation_gap=0.1)
    tasks = _by_key(PlanFacts(processes=(incident, change)))
    assert tasks["process:change:design"].predecessors[0].lag < tasks["process:incident:design"].predecessors[0].lag
    assert tasks["process:change:design"].duration > tasks["process:incident:design"].duration
    assert tasks["process:change:document"].duration > tasks["process:incident:document"].duration
    assert tasks["process:change:design"].reason["gap"] == 85


def test_without_survey_or_assessment_every_process_gets_its_work_and_the_plan_schedules_cleanly() -> None:
    lens = tuple(ProcessFacts(code, code.title(), code) for code in ("change", "incident", "problem"))
    proposed = generate(load_template(), PlanFacts(processes=lens))
    keys = [task.key for task in proposed]
    assert {f"process:{p.code}:{t}" for p in lens for t in ("design", "document", "train", "operate")} <= set(keys)
    assert "task:stage1" in keys
    assert "task:certificate" in keys
    network = Network(
        start=datetime.date(2026, 1, 5),
        tasks=[Task(t.key, t.name, t.duration, t.parent) for t in proposed],
        dependencies=[
            Dependency(link.predecessor, t.key, Link(link.type), link.lag) for t in proposed for link in t.predecessors
        ],
    )
    result = schedule(network)
    assert result.problems == ()
    found = {task.key: task for task in result.tasks}
    trial, stage1 = found["task:trial-operation"], found["task:stage1"]
    assert stage1.start >= trial.finish
    assert trial.start <= found["task:internal-audit"].start
    assert found["task:management-review"].finish <= trial.finish


def test_every_improvement_topic_becomes_a_task_linked_back_with_its_owner() -> None:
    change = ProcessFacts("change", "Change management", "变更管理", readiness=40.0, owners=(7,), coordinators=(8,))
    topics = (
        TopicFacts(11, "Introduce a CAB", "设立变更咨询委员会", "change", 3, owner=9),
        TopicFacts(12, "Tidy", "", "", 1),
    )
    tasks = _by_key(PlanFacts(processes=(change,), topics=topics))
    assert tasks["topic:11"].topic_id == 11
    assert tasks["topic:11"].parent == "process:change"
    assert tasks["topic:11"].assignees == (9,)
    assert tasks["topic:11"].duration == 11
    assert tasks["topic:12"].parent == "topics:other"
    assert tasks["process:change:design"].assignees == (7,)
    assert tasks["process:change:document"].assignees == (7, 8)


def _stored(proposed, edit=None):
    stored = {}
    for task in proposed:
        generated = snapshot(task)
        current = dict(generated, **(edit or {}).get(task.key, {}))
        stored[task.key] = StoredTask(task.key, task.name, current, generated)
    return stored


def test_regenerating_with_the_same_facts_proposes_nothing() -> None:
    proposed = generate(load_template(), PlanFacts())
    assert plan_diff(proposed, _stored(proposed)) == []


def test_regenerating_proposes_added_changed_and_removed_tasks_and_asks_before_overwriting_an_edit() -> None:
    old = generate(load_template(), PlanFacts(topics=(TopicFacts(1, "Old topic"),)))
    stored = _stored(old, edit={"task:kickoff": {"duration": 40}})
    new = generate(
        load_template(),
        PlanFacts(organization=Organization(itil_adoption="mature"), topics=(TopicFacts(2, "New topic"),)),
    )
    changes = {change.id: change for change in plan_diff(new, stored)}
    assert "added:topic:2" in changes
    assert "removed:topic:1" in changes
    assert changes["changed:task:kickoff"].fields == ("duration",)
    assert changes["changed:task:kickoff"].overrides_edit
    assert not changes["changed:task:scope"].overrides_edit
    ticked = default_selection(list(changes.values()))
    assert "changed:task:kickoff" not in ticked
    assert {"added:topic:2", "removed:topic:1", "changed:task:scope"} <= ticked
    assert all(change.kind != ChangeKind.REMOVED or change.key == "topic:1" for change in changes.values())
