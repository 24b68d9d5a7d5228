"""The rows of the plan page's task table, joined in Python rather than by a template loop: at 1,500 tasks the
template loop was most of the page's time (the same choice as the gap analysis's assessment screen, see
certprep/gaps/views/screen_html.py). The markup is the table the template used to write; every text goes through
escape(), dates through the language's date format (certprep.core.dates)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from certprep.core.dates import day_text
from certprep.planning.selectors.page import PageRow

DASH = "—"


def _day_writer() -> Callable[[datetime.date | None], str]:
    """A date as the table shows it (its <time> element), each day written once per page."""
    known: dict[datetime.date, str] = {}

    def write(day: datetime.date | None) -> str:
        if day is None:
            return DASH
        if day not in known:
            known[day] = f'<time datetime="{day.isoformat()}">{escape(day_text(day))}</time>'
        return known[day]

    return write


def plan_rows_html(rows: list[PageRow], *, engagement_id: int, editable: bool) -> SafeString:
    """The <tr> of each task: number, WBS, name (a link to its form for editors) with its badges and reason,
    duration, start, finish, predecessors, total float and assignees."""
    day = _day_writer()
    marker = 987654321
    edit_url = reverse("planning:task_edit", args=[engagement_id, marker]).split(str(marker))
    critical_badge = f'<span class="badge critical">{escape(_("critical"))}</span>'
    milestone_badge = f'<span class="badge">{escape(_("milestone"))}</span>'
    separator = escape(pgettext("list separator", ", "))
    durations: dict[float, str] = {}
    out: list[str] = []
    for row in rows:
        task = row.task
        name: str = escape(task.tr.name)
        if editable:
            name = f'<a href="{edit_url[0]}{task.pk}{edit_url[1]}">{name}</a>'
        badges = []
        if row.critical and not row.summary:
            badges.append(critical_badge)
        if task.milestone:
            badges.append(milestone_badge)
        if task.percent_complete:
            badges.append(f'<span class="badge">{escape(_("%(n)s%% done") % {"n": task.percent_complete})}</span>')
        if row.why:
            badges.append(f'<div class="why">{escape(row.why)}</div>')
        classes = " ".join(c for c in ("summary" if row.summary else "", "critical" if row.critical else "") if c)
        days = row.duration_days
        if days not in durations:
            durations[days] = escape(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
        floating = row.total_float_days
        people = separator.join(f"<bdi>{escape(person)}</bdi>" for person in row.assignees) or DASH
        out.append(
            f'<tr id="task-{task.pk}" class="{classes}" data-wbs="{escape(row.wbs)}">'
            f'<td class="num">{row.number}</td><td class="num">{escape(row.wbs)}</td>'
            f'<th scope="row" class="task-name level-{task.outline_level or 1}">{name}{" ".join(badges)}</th>'
            f'<td class="num duration">{durations[days]}</td>'
            f'<td class="date start">{day(row.start)}</td><td class="date finish">{day(row.finish)}</td>'
            f'<td class="preds">{escape(row.predecessors) or DASH}</td>'
            f'<td class="num">{DASH if floating is None else floating}</td>'
            f"<td>{people}</td></tr>"
        )
    return SafeString("".join(out))
