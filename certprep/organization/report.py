"""The organization's sections of the reports for top management (certprep.core.documents): the steering
committee and project team with their meetings, the decision log, and each approvable document's approval state
with what changed since its approval. Blocks in the active language; a section without data says what is
missing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.core.documents import Block, Bullets, Heading, Paragraph, ReportSection, Table
from certprep.core.wording import join_names, sentences
from certprep.engagements.models import Engagement
from certprep.organization.models import ProjectMember
from certprep.organization.selectors.approvals import (
    APPROVED,
    NEVER,
    ApprovalState,
    approval_history,
    approval_states,
)
from certprep.organization.selectors.team import SeriesRow, bodies_of, decision_log, meetings_of
from certprep.organization.wording import cadence_text


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _member_rows(members: Sequence[ProjectMember]) -> list[list[str]]:
    return [
        [m.person.name, m.person.job_title, str(m.get_role_display()), f"{m.time_share}%", m.responsibilities]
        for m in members
    ]


def _meeting_rows(rows: Sequence[SeriesRow]) -> list[list[str]]:
    return [
        [
            r.series.title,
            str(r.series.get_body_display()),
            cadence_text(r.series),
            f"{_day(r.series.from_date)} – {_day(r.until)}",
            r.series.location,
        ]
        for r in rows
    ]


def team_blocks(engagement: Engagement) -> list[Block]:
    bodies = bodies_of(engagement)
    meetings = meetings_of(engagement, today=timezone.localdate())
    if bodies.empty and not meetings:
        return [Paragraph(_("No steering committee or project team has been set up yet."), tone="missing")]
    columns = [_("Name"), _("Job title"), _("Project role"), _("Time share"), _("Responsibilities")]
    blocks: list[Block] = [
        Paragraph(
            _(
                "Top management steers the certification project through the steering committee; the project team "
                "does the work."
            ),
            tone="lead",
        )
    ]
    for title, members in ((_("Steering committee"), bodies.steering), (_("Project team"), bodies.team)):
        blocks.append(Heading(title))
        if members:
            blocks.append(Table(columns, _member_rows(members), numeric=frozenset({3}), sheet=title[:31]))
        else:
            blocks.append(Paragraph(_("Nobody named yet."), tone="missing"))
    blocks.append(Heading(_("Meetings")))
    if meetings:
        columns = [_("Meeting"), _("Body"), _("Cadence"), _("Period"), _("Meeting place")]
        blocks.append(Table(columns, _meeting_rows(meetings), sheet=_("Meetings")[:31]))
    else:
        blocks.append(Paragraph(_("No regular meeting set yet."), tone="missing"))
    return blocks


def decisions_blocks(engagement: Engagement) -> list[Block]:
    log = decision_log(engagement, approval_history(engagement))
    if not log:
        return [Paragraph(_("No decision has been logged yet."), tone="missing")]
    rows = []
    for entry in log:
        if entry.decision is not None:
            d = entry.decision
            about = entry.document or (d.task.name if d.task else "") or (d.topic.title if d.topic else "")
            rows.append([_day(entry.day), d.title, join_names(d.deciders), d.rationale, about])
        elif entry.approval is not None:
            a = entry.approval
            title = (
                _("%(document)s approved (approval %(n)s), since revoked")
                if a.revoked_at
                else _("%(document)s approved (approval %(n)s)")
            ) % {"document": entry.document, "n": a.number}
            rows.append([_day(entry.day), title, a.approver_title, a.note, entry.document])
    columns = [_("Date"), _("Decision"), _("Decided by"), _("Rationale"), _("Concerns")]
    return [Table(columns, rows, sheet=_("Decision log")[:31])]


def _state_text(state: ApprovalState) -> str:
    approval = state.approval
    if approval is None:
        return _("%(document)s: never approved.") % {"document": state.label}
    said = _("%(document)s: approved by %(who)s on %(when)s (approval %(n)s).") % {
        "document": state.label,
        "who": approval.approver_title,
        "when": _day(timezone.localdate(approval.approved_at)),
        "n": approval.number,
    }
    if state.state == APPROVED:
        return said
    return sentences(said, _("Changed since approval."))


def approvals_blocks(engagement: Engagement) -> list[Block]:
    states = approval_states(engagement)
    if not states:
        return [Paragraph(_("No document to approve yet."), tone="missing")]
    blocks: list[Block] = [Bullets([_state_text(s) for s in states])]
    for state in states:
        if not state.differences:
            continue
        blocks.append(Heading(_("%(document)s: what changed since the approval") % {"document": state.label}, level=3))
        rows = [
            [
                d.label,
                d.before_shown if d.before_shown is not None else _("added since"),
                d.after_shown if d.after_shown is not None else _("removed since"),
            ]
            for d in state.differences
        ]
        blocks.append(Table([_("Figure"), _("At the approval"), _("Now")], rows))
    if all(s.state == NEVER for s in states):
        blocks.append(Paragraph(_("Top management has not approved any document in certprep yet."), tone="missing"))
    return blocks


SECTIONS = (
    ReportSection[Engagement](key="organization.team", title=gettext_lazy("Project organization"), build=team_blocks),
    ReportSection[Engagement](key="organization.decisions", title=gettext_lazy("Decision log"), build=decisions_blocks),
    ReportSection[Engagement](key="organization.approvals", title=gettext_lazy("Approvals"), build=approvals_blocks),
)
