"""What the survey adds to the reports (certprep.core.documents): the response rates of each campaign, the current
state of each process, the relation map between the processes and the interview minutes with the actions agreed;
and the "Survey results" document made of them.

Every figure comes from the selectors the survey's pages read (selectors.tracking for the campaign page,
selectors.state for the current-state pages, selectors.interviews for the interviews) and is written as those pages
write it; the relation map is the current-state page's SVG (relations.render_svg). The rates take a fixed number of
queries per campaign (an engagement runs a few), the other sections a fixed number whatever the data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certprep.core.dates import day_text
from certprep.core.documents import (
    Block,
    Bullets,
    Cell,
    Figure,
    Heading,
    KeyFigures,
    Paragraph,
    ReportDocument,
    ReportSection,
    Table,
)
from certprep.core.timezones import local
from certprep.core.wording import in_parentheses, join_names, labelled
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.survey.models import FollowUp, Questionnaire
from certprep.survey.relations import render_svg
from certprep.survey.selectors.interviews import interviews_of, subject_name
from certprep.survey.selectors.state import engagement_state, lens_process_names
from certprep.survey.selectors.tracking import Rate, campaign_tracking, campaigns_of

DASH = "—"


def _rate_row(campaign: str, rate: Rate, label: str, roles: str = DASH) -> tuple[list[str], list[Cell]]:
    figures = [rate.submitted, rate.total]
    text = [campaign, label, roles, *map(str, figures), f"{rate.percent}%", f"{rate.started_percent}%"]
    return text, [campaign, label, roles, *figures, rate.percent, rate.started_percent]


def _audiences(engagement: Engagement) -> dict[str, str]:
    """Questionnaire id (as the rates key it) -> the SMS roles it is sent to, in words (one query)."""
    names = dict(SmsRole.choices)
    return {
        str(pk): join_names(names.get(role, role) for role in audience or []) or DASH
        for pk, audience in Questionnaire.objects.filter(engagement=engagement).values_list("pk", "audience")
    }


def _rates(engagement: Engagement) -> Sequence[Block]:
    campaigns = campaigns_of(engagement)
    if not campaigns:
        return [Paragraph(_("No survey campaign yet: send the questionnaires from the survey page."), "missing")]
    blocks: list[Block] = []
    rows: list[list[str]] = []
    values: list[list[Cell]] = []
    departments: list[list[str]] = []
    roles = _audiences(engagement)
    for n, campaign in enumerate(campaigns):
        tracking = campaign_tracking(campaign)
        overall = tracking.overall
        if n == 0:  # the latest campaign's figures at a glance
            blocks.append(
                KeyFigures(
                    [
                        (campaign.name, f"{overall.percent}%"),
                        (
                            _("Submitted"),
                            _("%(s)s of %(t)s questionnaires submitted") % {"s": overall.submitted, "t": overall.total},
                        ),
                        (_("Started"), _("%(n)s%% started") % {"n": overall.started_percent}),
                        (
                            _("Not started"),
                            ngettext(
                                "%(n)s respondent has not started",
                                "%(n)s respondents have not started",
                                tracking.not_started,
                            )
                            % {"n": tracking.not_started},
                        ),
                    ]
                )
            )
        for rate in [*tracking.by_questionnaire, overall]:
            text, numbers = _rate_row(
                campaign.name, rate, rate.label or _("All questionnaires"), roles.get(rate.key, DASH)
            )
            rows.append(text)
            values.append(numbers)
        departments += [
            [
                text
                for n, text in enumerate(_rate_row(campaign.name, rate, rate.label or _("(no department)"))[0])
                if n != 2
            ]
            for rate in tracking.by_department
        ]
    columns = [
        _("Campaign"),
        _("Questionnaire"),
        _("Roles"),
        _("Submitted"),
        _("Sent"),
        _("Response rate"),
        _("Started"),
    ]
    blocks.append(
        Table(
            columns=columns,
            rows=rows,
            caption=_("Response rates by campaign and questionnaire (each questionnaire is sent to its roles)"),
            numeric=frozenset({3, 4, 5, 6}),
            sheet=_("Response rates"),
            values=values,
        )
    )
    if departments:
        blocks.append(
            Table(
                columns=[_("Campaign"), _("Department"), *columns[3:]],
                rows=departments,
                caption=_("Response rates by department"),
                numeric=frozenset({2, 3, 4, 5}),
            )
        )
    return blocks


def _no_catalogue() -> Paragraph:
    return Paragraph(
        _(
            "The process catalogue is not loaded in this installation, so there are no processes to summarise. An "
            "administrator loads it with the load_catalogue command."
        ),
        "missing",
    )


def _current_state(engagement: Engagement) -> Sequence[Block]:
    state = engagement_state(engagement)
    if not state.processes:
        return [_no_catalogue()]
    if not any(process.responses.total for process in state.processes):
        return [Paragraph(_("No process questionnaire has been answered yet."), "missing")]
    rows: list[list[str]] = []
    values: list[list[Cell]] = []
    for process in state.processes:
        counts = process.responses
        completeness = f"{process.completeness}%" if process.completeness is not None else DASH
        figures = [process.inputs, process.outputs, process.documents, process.tools, process.open_questions]
        shown = [counts.submitted, counts.in_progress, counts.total]
        rows.append([process.name, process.owner or DASH, *map(str, shown), completeness, *map(str, figures)])
        values.append([process.name, process.owner, *shown, process.completeness, *figures])
    definitions = [labelled(p.name, p.definition) for p in state.processes if p.definition]
    blocks: list[Block] = [
        Paragraph(
            _(
                "What the respondents said about each process: its definition, inputs and outputs, documents and "
                "records, tools, owners and relations with other processes. Submitted answers count first; answers "
                "still in progress are included and marked as drafts."
            ),
            "lead",
        ),
        Table(
            columns=[
                _("Process"),
                _("Owner"),
                _("Submitted"),
                _("In progress"),
                _("Responses"),
                _("Completeness"),
                _("Inputs"),
                _("Outputs"),
                _("Documents"),
                _("Tools"),
                _("Open questions"),
            ],
            rows=rows,
            caption=_("Current state of the processes"),
            numeric=frozenset(range(2, 11)),
            sheet=_("Current state"),
            values=values,
        ),
    ]
    if definitions:
        blocks += [Heading(_("Definition"), 3), Bullets(definitions)]
    return blocks


def _relations(engagement: Engagement) -> Sequence[Block]:
    state = engagement_state(engagement)
    if not state.processes:
        return [_no_catalogue()]
    relations = state.relations
    if not relations:
        return [Paragraph(_("No relation named yet."), "missing")]
    title = _("Relations between processes")
    return [
        Figure(
            render_svg(state.graph, title=title, id_prefix="report-relmap"),
            _(
                "An arrow points from the process whose respondents named the relation to the process they named; "
                "thicker lines were named by more respondents."
            ),
        ),
        Table(
            columns=[_("Process"), _("Exchanges with"), _("Named by")],
            rows=[
                [
                    process.name,
                    related.name,
                    ngettext("%(n)s respondent", "%(n)s respondents", related.count) % {"n": related.count},
                ]
                for process, related in relations
            ],
            caption=title,
            sheet=_("Relations"),
            values=[[process.name, related.name, related.count] for process, related in relations],
        ),
    ]


def _action(follow_up: FollowUp) -> str:
    facts = [
        follow_up.owner.name if follow_up.owner else "",
        day_text(follow_up.due_date) if follow_up.due_date else "",
    ]
    facts = [fact for fact in facts if fact]
    if follow_up.done:
        facts.append(_("done"))
    return f"{follow_up.text} {in_parentheses(join_names(facts))}" if facts else follow_up.text


def _minutes(engagement: Engagement) -> Sequence[Block]:
    interviews = list(interviews_of(engagement))
    actions: dict[int, list[FollowUp]] = defaultdict(list)
    for follow_up in (
        FollowUp.objects.filter(interview__engagement=engagement)
        .select_related("owner")
        .order_by("interview_id", "done", "due_date", "pk")
    ):
        actions[follow_up.interview_id].append(follow_up)
    recorded = [i for i in interviews if i.minutes.strip() or actions.get(i.pk)]
    if not recorded:
        return [Paragraph(_("No interview minutes yet."), "missing")]
    names = lens_process_names()
    blocks: list[Block] = []
    for interview in recorded:
        starts = local(interview.starts_at, engagement.time_zone)
        people = join_names(person.name for person in interview.attendees.all())
        who = interview.interviewer
        interviewer = (who.get_full_name() or who.get_username()) if who else ""
        blocks.append(Heading(interview.title))
        blocks.append(
            KeyFigures(
                [
                    (_("When"), f"{date_format(starts, 'DATETIME_FORMAT')} {in_parentheses(engagement.time_zone)}"),
                    (_("Subject"), subject_name(interview.process_code, names)),
                    (_("Attendees"), people or DASH),
                    (_("Interviewer"), interviewer or DASH),
                ]
            )
        )
        blocks += [Paragraph(part.strip()) for part in interview.minutes.split("\n\n") if part.strip()]
        agreed = actions.get(interview.pk, [])
        if agreed:
            blocks.append(Paragraph(labelled(_("Agreed actions"), len(agreed)), "note"))
            blocks.append(Bullets([_action(follow_up) for follow_up in agreed]))
    return blocks


SECTIONS = (
    ReportSection[Engagement](key="survey.rates", title=gettext_lazy("Response rates"), build=_rates),
    ReportSection[Engagement](
        key="survey.current_state", title=gettext_lazy("Current state of the processes"), build=_current_state
    ),
    ReportSection[Engagement](
        key="survey.relations", title=gettext_lazy("Relations between processes"), build=_relations
    ),
    ReportSection[Engagement](key="survey.minutes", title=gettext_lazy("Interview minutes"), build=_minutes),
)

DOCUMENT = ReportDocument(
    key="survey",
    title=gettext_lazy("Survey results"),
    description=gettext_lazy(
        "The response rates of the questionnaire survey, the current state of each process, the relations between "
        "the processes and the interview minutes with the actions agreed."
    ),
    sections=[section.key for section in SECTIONS],
    tabular=True,
)
