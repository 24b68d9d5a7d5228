"""Generating a plan from what the engagement knows: pure rules over plain data (no Django, no database).

`generate` turns the shipped template and the engagement's facts (organization profile, readiness by
process from the latest gap assessment, improvement topics, role holders, the minimum operating time) into
proposed tasks. Each proposed task carries the rule that made it and the figures behind its duration
(`reason`), which the plan page shows as "why this task, why this duration". `plan_diff` compares a new
proposal with what an earlier generation stored, so regenerating proposes changes instead of overwriting
what people edited.

How durations are sized (working days, the template's duration the base):
- maturity: from ITIL adoption, the management systems already certified and the latest readiness; a mature
  organization gets up to half the base, an immature one up to one and a half times it;
- size: more people in scope and more sites mean more training, interviews and audit days;
- gap (per process): the share of its targets not yet reached, tempered by maturity;
- documentation (per process): the share of its documented information missing or not yet approved;
- operating: the trial operation lasts at least the minimum operating time before stage 1.
The weakest processes start first: each process's work starts a few days after the previous one's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from certprep.planning.template import PlanTemplate, TemplateTask

ITIL_LEVELS: Mapping[str, float] = {"none": 0.0, "awareness": 0.25, "partial": 0.5, "broad": 0.75, "mature": 1.0}
ITIL_UNKNOWN = 0.25  # no answer in the profile: assume some awareness, not maturity
# Management systems whose documents, internal audit and management review an ITSM system can share.
CERTIFICATION_BONUS: Mapping[str, float] = {
    "iso20000_2011": 0.2,
    "iso27001": 0.15,
    "iso9001": 0.1,
    "cmmi": 0.1,
    "iso22301": 0.05,
    "iso14001": 0.05,
}
CERTIFICATION_CAP = 0.3
PEOPLE_UNKNOWN = 100
STAGGER_DAYS = 5  # between the starts of two processes' work, weakest first
UNKNOWN_GAP = 0.5  # a process not yet assessed: half its targets open
TOPIC_DAYS_BASE, TOPIC_DAYS_PER_REQUIREMENT, TOPIC_DAYS_MAX = 5, 2, 40


@dataclass(frozen=True)
class Organization:
    """The profile's facts that size a plan."""

    people_in_scope: int | None = None
    sites: int = 0
    itil_adoption: str = ""
    certifications: frozenset[str] = frozenset()
    readiness: float | None = None  # percent of the targets reached over the latest assessment; None: none


@dataclass(frozen=True)
class ProcessFacts:
    """A process of the lens with what the latest assessment found and who holds its roles (person ids)."""

    code: str
    name: str
    name_zh: str
    readiness: float | None = None  # percent; None: not rated
    documentation_gap: float | None = None  # share 0..1 of its documented information not ready; None: unknown
    owners: tuple[int, ...] = ()
    coordinators: tuple[int, ...] = ()


@dataclass(frozen=True)
class TopicFacts:
    """An improvement topic of the gap analysis."""

    id: int
    title: str
    title_zh: str = ""
    process_code: str = ""
    requirements: int = 0
    owner: int | None = None


@dataclass(frozen=True)
class PlanFacts:
    organization: Organization = field(default_factory=Organization)
    processes: tuple[ProcessFacts, ...] = ()
    topics: tuple[TopicFacts, ...] = ()
    system_roles: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # SMS role -> person ids
    minimum_operating_months: int = 3
    working_weekdays: int = 5


@dataclass(frozen=True)
class Link:
    predecessor: str
    type: str = "FS"
    lag: int = 0


@dataclass(frozen=True)
class ProposedTask:
    key: str
    parent: str | None
    name: str
    name_zh: str
    duration: int
    rule: str
    reason: Mapping[str, Any]
    milestone: bool = False
    process_code: str = ""
    topic_id: int | None = None
    assignees: tuple[int, ...] = ()
    predecessors: tuple[Link, ...] = ()


# Sizing ---------------------------------------------------------------------------------------------------


def maturity(organization: Organization) -> float:
    """0 (nothing in place) to 1 (mature): ITIL adoption, certifications held and, once assessed, readiness."""
    itil = ITIL_LEVELS.get(organization.itil_adoption, ITIL_UNKNOWN)
    certificates = min(CERTIFICATION_CAP, sum(CERTIFICATION_BONUS.get(c, 0.0) for c in organization.certifications))
    if organization.readiness is None:
        score = 0.7 * itil + certificates
    else:
        score = 0.35 * itil + 0.35 * max(0.0, min(organization.readiness, 100.0)) / 100 + certificates
    return max(0.0, min(1.0, score))


def maturity_factor(organization: Organization) -> float:
    return 1.5 - maturity(organization)


def size_factor(organization: Organization) -> float:
    """0.75 for a small single-site organization, growing with the people in scope and the sites, at most 2."""
    people = organization.people_in_scope or PEOPLE_UNKNOWN
    sites = max(organization.sites, 1)
    factor = 0.75 + 0.15 * math.log2(max(people, 1) / 25) + 0.1 * (sites - 1)
    return max(0.75, min(2.0, factor))


def gap_share(process: ProcessFacts) -> float:
    if process.readiness is None:
        return UNKNOWN_GAP
    return 1 - max(0.0, min(process.readiness, 100.0)) / 100


def documentation_share(process: ProcessFacts) -> float:
    return UNKNOWN_GAP if process.documentation_gap is None else max(0.0, min(process.documentation_gap, 1.0))


def operating_days(months: int, working_weekdays: int) -> int:
    """Working days that cover `months` calendar months of the work week, whatever the months' lengths."""
    return math.ceil(months * 31 * max(working_weekdays, 1) / 7)


def sized(base: int, factor: float) -> int:
    return 0 if base == 0 else max(1, round(base * factor))


def has_gap(process: ProcessFacts) -> bool:
    return gap_share(process) > 0 or documentation_share(process) > 0


def weakest_first(processes: Sequence[ProcessFacts]) -> list[ProcessFacts]:
    """Processes with a gap, the biggest gap first (then the bigger documentation gap, then lens order)."""
    with_gap = [(n, p) for n, p in enumerate(processes) if has_gap(p)]
    with_gap.sort(key=lambda pair: (-gap_share(pair[1]), -documentation_share(pair[1]), pair[0]))
    return [process for _n, process in with_gap]


def _pct(value: float) -> int:
    return round(100 * value)


def duration_of(
    task: TemplateTask, facts: PlanFacts, process: ProcessFacts | None = None
) -> tuple[int, dict[str, Any]]:
    """The task's duration under its sizing, with the figures that explain it."""
    org = facts.organization
    reason: dict[str, Any] = {"base": task.duration}
    if task.sizing == "maturity":
        factor = maturity_factor(org)
        reason.update(maturity=_pct(maturity(org)))
    elif task.sizing == "size":
        factor = size_factor(org)
        reason.update(people=org.people_in_scope or PEOPLE_UNKNOWN, sites=max(org.sites, 1))
    elif task.sizing == "gap" and process is not None:
        factor = (0.5 + gap_share(process)) * (1.25 - 0.5 * maturity(org))
        reason.update(
            gap=_pct(gap_share(process)), maturity=_pct(maturity(org)), assessed=process.readiness is not None
        )
    elif task.sizing == "documentation" and process is not None:
        factor = 0.5 + documentation_share(process)
        reason.update(documentation=_pct(documentation_share(process)), known=process.documentation_gap is not None)
    elif task.sizing == "operating":
        least = operating_days(facts.minimum_operating_months, facts.working_weekdays)
        reason.update(months=facts.minimum_operating_months, least=least)
        days = max(task.duration, least)
        reason["days"] = days
        return days, reason
    else:
        factor = 1.0
    days = sized(task.duration, factor)
    reason.update(factor=round(factor, 2), days=days)
    return days, reason


# Generation -----------------------------------------------------------------------------------------------


def _holders(task: TemplateTask, facts: PlanFacts, process: ProcessFacts | None = None) -> tuple[int, ...]:
    people: list[int] = []
    for role in task.assign:
        if process is not None and role == "process_owner":
            found: Sequence[int] = process.owners
        elif process is not None and role == "process_coordinator":
            found = process.coordinators
        else:
            found = facts.system_roles.get(role, ())
        people.extend(person for person in found if person not in people)
    return tuple(people)


def _links(task: TemplateTask, prefix: str) -> tuple[Link, ...]:
    return tuple(Link(f"{prefix}{link.task}", link.type, link.lag) for link in task.after)


def generate(template: PlanTemplate, facts: PlanFacts) -> list[ProposedTask]:
    """The plan the template and the facts give, in outline order (a parent before its children)."""
    tasks: list[ProposedTask] = []
    ranked = weakest_first(facts.processes)
    for stage in template.stages:
        stage_key = f"stage:{stage.key}"
        tasks.append(ProposedTask(stage_key, None, stage.name.en, stage.name.zh_hans, 0, "stage", {"stage": stage.key}))
        for task in stage.tasks:
            if task.processes:
                tasks.extend(_process_work(template, task, stage_key, ranked, facts))
                continue
            days, reason = duration_of(task, facts)
            tasks.append(
                ProposedTask(
                    key=f"task:{task.key}",
                    parent=stage_key,
                    name=task.name.en,
                    name_zh=task.name.zh_hans,
                    duration=days,
                    rule=f"template.{task.sizing}",
                    reason=reason,
                    milestone=task.milestone,
                    assignees=_holders(task, facts),
                    predecessors=_links(task, "task:"),
                )
            )
    return tasks


def _process_work(
    template: PlanTemplate,
    holder: TemplateTask,
    stage_key: str,
    ranked: list[ProcessFacts],
    facts: PlanFacts,
) -> list[ProposedTask]:
    """The summary task holding the processes, one block per process with a gap (weakest first, each
    starting STAGGER_DAYS after the previous one once the policy work has started), and the improvement
    topics: under their process when it has a block, else under a summary of their own."""
    holder_key = f"task:{holder.key}"
    blocked = {process.code for process in ranked}
    loose = [topic for topic in facts.topics if topic.process_code not in blocked]
    empty = not ranked and not loose
    tasks = [
        ProposedTask(
            holder_key,
            stage_key,
            holder.name.en,
            holder.name.zh_hans,
            0,
            "processes",
            {"processes": len(ranked), "topics": len(facts.topics)},
            milestone=empty,
            predecessors=_links(holder, "task:") or ((Link("task:framework", "FS", 0),) if empty else ()),
        )
    ]
    first = template.process_tasks[0].key
    for rank, process in enumerate(ranked):
        block = f"process:{process.code}"
        prefix = f"{block}:"
        reason = {"rank": rank + 1, "gap": _pct(gap_share(process)), "assessed": process.readiness is not None}
        tasks.append(
            ProposedTask(
                block, holder_key, process.name, process.name_zh, 0, "process", reason, process_code=process.code
            )
        )
        for task in template.process_tasks:
            days, why = duration_of(task, facts, process)
            links = _links(task, prefix)
            if task.key == first:
                why["lag"] = STAGGER_DAYS * rank
                links = (Link("task:framework", "SS", STAGGER_DAYS * rank), *links)
            tasks.append(
                ProposedTask(
                    key=prefix + task.key,
                    parent=block,
                    name=task.name.en.replace("{process}", process.name),
                    name_zh=task.name.zh_hans.replace("{process}", process.name_zh or process.name),
                    duration=days,
                    rule=f"process.{task.sizing}",
                    reason=why,
                    milestone=task.milestone,
                    process_code=process.code,
                    assignees=_holders(task, facts, process),
                    predecessors=links,
                )
            )
        tasks.extend(
            _topic_task(t, block, Link(f"{prefix}{first}", "SS", 0))
            for t in facts.topics
            if t.process_code == process.code
        )
    if loose:
        other = "topics:other"
        tasks.append(
            ProposedTask(
                other, holder_key, "Other improvement items", "其他改进项", 0, "topics", {"topics": len(loose)}
            )
        )
        tasks.extend(_topic_task(topic, other, Link("task:framework", "SS", 0)) for topic in loose)
    return tasks


def topic_days(requirements: int) -> int:
    return min(TOPIC_DAYS_MAX, TOPIC_DAYS_BASE + TOPIC_DAYS_PER_REQUIREMENT * max(requirements, 0))


def _topic_task(topic: TopicFacts, parent: str, after: Link) -> ProposedTask:
    days = topic_days(topic.requirements)
    return ProposedTask(
        key=f"topic:{topic.id}",
        parent=parent,
        name=topic.title,
        name_zh=topic.title_zh or topic.title,
        duration=days,
        rule="topic",
        reason={"requirements": topic.requirements, "days": days},
        process_code=topic.process_code,
        topic_id=topic.id,
        assignees=(topic.owner,) if topic.owner is not None else (),
        predecessors=(after,),
    )
