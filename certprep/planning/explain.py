"""What the plan page shows about each task besides its dates (pure, no database): its WBS code from the
outline, and in words why the task is there and why it lasts what it lasts, from the rule that generated it
and the figures that rule kept (`Task.reason`, certprep.planning.rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certprep.planning.choices import BOOKING_RULE
from certprep.planning.rules import TOPIC_DAYS_BASE, TOPIC_DAYS_MAX, TOPIC_DAYS_PER_REQUIREMENT


def outline(tasks: Iterable[tuple[int, int | None]]) -> list[tuple[int, str]]:
    """Tasks given in stored order as (id, parent id), in outline order (each task followed by the tasks below
    it) with their WBS codes ("1", "1.2", "1.2.3"): the plan page's rows, numbered as MS Project numbers them.
    A task whose parent is not among them is a top-level task; a parent loop is broken where it is met."""
    given = list(tasks)
    known = {pk for pk, _parent in given}
    below: dict[int | None, list[int]] = {}
    for pk, parent in given:
        below.setdefault(parent if parent in known and parent != pk else None, []).append(pk)
    rows: list[tuple[int, str]] = []
    placed: set[int] = set()

    def place(children: list[int], prefix: str, first: int = 1) -> None:
        for number, pk in enumerate([pk for pk in children if pk not in placed], first):
            placed.add(pk)
            code = f"{prefix}{number}"
            rows.append((pk, code))
            place(below.get(pk, []), code + ".")

    place(below.get(None, []), "")
    for pk, _parent in given:  # only reachable through a loop of parents: shown at the top level
        if pk not in placed:
            place([pk], "", first=1 + sum("." not in code for _pk, code in rows))
    return rows


def _sizing(sizing: str, reason: Mapping[str, Any]) -> str:
    base, days = reason.get("base"), reason.get("days")
    figures = {"base": base, "days": days, "factor": reason.get("factor")}
    if sizing == "maturity":
        return _(
            "Base %(base)s days × %(factor)s for an organization %(maturity)s%% mature (ITIL adoption, "
            "certifications held, readiness): %(days)s days."
        ) % {**figures, "maturity": reason.get("maturity")}
    if sizing == "size":
        return ngettext(
            "Base %(base)s days × %(factor)s for %(people)s people in scope on %(sites)s site: %(days)s days.",
            "Base %(base)s days × %(factor)s for %(people)s people in scope on %(sites)s sites: %(days)s days.",
            int(reason.get("sites") or 1),
        ) % {
            **figures,
            "people": reason.get("people"),
            "sites": reason.get("sites"),
        }
    if sizing == "gap":
        text = _(
            "Base %(base)s days × %(factor)s: %(gap)s%% of the process's targets not reached, the organization "
            "%(maturity)s%% mature: %(days)s days."
        ) % {**figures, "gap": reason.get("gap"), "maturity": reason.get("maturity")}
        return text if reason.get("assessed") else _not_assessed(text)
    if sizing == "documentation":
        text = _("Base %(base)s days × %(factor)s: %(share)s%% of its documented information not ready: %(days)s days.")
        return text % {**figures, "share": reason.get("documentation")}
    if sizing == "operating":
        return _(
            "At least the minimum operating time before stage 1 (%(months)s months, %(least)s working days): "
            "%(days)s days."
        ) % {"months": reason.get("months"), "least": reason.get("least"), "days": days}
    return _("The template's duration: %(days)s days.") % {"days": days if days is not None else base}


def why(rule: str, reason: Mapping[str, Any]) -> str:
    """Why a generated task is there and lasts what it lasts; empty for a task added by hand."""
    if not rule:
        return ""
    if rule.startswith(BOOKING_RULE):
        return _("The audit booked with the certification body: the milestone moves with its booking.")
    if rule == "stage":
        return _("A stage of the certification project.")
    if rule == "processes":
        return _(
            "Holds the work on each process with a gap (%(processes)s) and the improvement topics (%(topics)s)."
        ) % {
            "processes": reason.get("processes", 0),
            "topics": reason.get("topics", 0),
        }
    if rule == "process":
        text = _("Process ranked %(rank)s by its gap (%(gap)s%% of its targets open); the weakest start first.") % {
            "rank": reason.get("rank"),
            "gap": reason.get("gap"),
        }
        return text if reason.get("assessed") else _not_assessed(text)
    if rule == "topics":
        return _("Improvement topics of no process with its own work.")
    if rule == "topic":
        return ngettext(
            "Improvement topic with %(n)s requirement: %(base)s days plus %(each)s per requirement (at most "
            "%(most)s): %(days)s days.",
            "Improvement topic with %(n)s requirements: %(base)s days plus %(each)s per requirement (at most "
            "%(most)s): %(days)s days.",
            int(reason.get("requirements") or 0),
        ) % {
            "n": reason.get("requirements", 0),
            "days": reason.get("days"),
            "base": TOPIC_DAYS_BASE,
            "each": TOPIC_DAYS_PER_REQUIREMENT,
            "most": TOPIC_DAYS_MAX,
        }
    sizing = rule.split(".", 1)[1] if "." in rule else rule
    text = _sizing(sizing, reason)
    if reason.get("lag"):
        text = _("%(reason)s Starts %(lag)s working days after the previous process's (weakest first).") % {
            "reason": text,
            "lag": reason["lag"],
        }
    return text


def _not_assessed(text: str) -> str:
    return _("%(reason)s Not assessed yet: half the targets assumed open.") % {"reason": text}
