"""The readiness dashboard: overall readiness, by clause and by process, the trend over assessments, the
documented information, and the stage 1 readiness list. A fixed number of queries whatever the number of
requirements (one more per distinct framework assessed)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certprep.catalogue.refs import RefKey, ref_sort_key
from certprep.core.wording import in_parentheses, join_entries, join_names
from certprep.engagements.models import Engagement
from certprep.gaps.choices import DocumentStatus, Stage1Item
from certprep.gaps.models import Assessment, DocumentItem, GapSettings, Rating
from certprep.gaps.rules import DOCUMENTATION_READY, Summary, effective_target, summarize
from certprep.gaps.selectors.documents import statuses_by_requirement
from certprep.gaps.selectors.lens import Node, process_codes_by_requirement, processes, top_clause, tree
from certprep.gaps.selectors.weights import weights_by_requirement
from certprep.gaps.stage1 import (
    OPERATING_DAYS,
    Decision,
    DocumentFact,
    RatingFact,
    decide,
    operating_days,
    operating_long_enough,
)
from certprep.survey.models import Answer

# Which clause ratings speak for each stage 1 item, and which survey answer (questionnaire template, question).
STAGE1_CLAUSES: dict[str, tuple[str, ...]] = {
    Stage1Item.SCOPE: ("4.3",),
    Stage1Item.POLICY: ("5.2.1", "5.2.2", "6.2"),
    Stage1Item.PLAN: ("6.3",),
    Stage1Item.INTERNAL_AUDIT: ("9.2",),
    Stage1Item.MANAGEMENT_REVIEW: ("9.3",),
}
STAGE1_ANSWERS: dict[str, tuple[str, str, frozenset[str], frozenset[str]]] = {
    # item: (questionnaire template, question, values meaning yes, values meaning no)
    Stage1Item.INTERNAL_AUDIT: (
        "management-system",
        "audit-experience",
        frozenset({"itsm"}),
        frozenset({"never", "planned", "other-standard"}),
    ),
    Stage1Item.MANAGEMENT_REVIEW: (
        "management-system",
        "improve-review-frequency",
        frozenset({"yearly", "half-yearly", "quarterly", "monthly"}),
        frozenset({"never", "ad-hoc"}),
    ),
}


@dataclass
class Column:
    assessment: Assessment
    overall: Summary
    by_clause: dict[str, Summary]
    by_process: dict[str, Summary]
    documentation_ready: int = 0
    documentation_checked: int = 0


@dataclass
class Stage1:
    item: str
    label: str
    state: bool | None
    source: str
    kind: str = ""  # where the answer comes from: documents, rating, survey, settings, or "" (nothing yet)


@dataclass
class Dashboard:
    columns: list[Column]
    clauses: list[Node]
    process_list: list[Any]
    stage1: list[Stage1]
    documents: dict[str, int] = field(default_factory=dict)
    documents_total: int = 0

    @property
    def latest(self) -> Column | None:
        return self.columns[-1] if self.columns else None

    @property
    def baseline(self) -> Column | None:
        return self.columns[0] if len(self.columns) > 1 else None


def dashboard(engagement: Engagement) -> Dashboard:
    assessments = list(
        Assessment.objects.filter(engagement=engagement).select_related("framework").order_by("assessed_on", "pk")
    )
    rows = list(
        Rating.objects.filter(assessment__engagement=engagement).values_list(
            "assessment_id",
            "requirement_id",
            "level",
            "target",
            "scale",
            "requirement__weight",
            "requirement__ref_id",
        )
    )
    statuses = statuses_by_requirement(engagement.pk)
    by_assessment: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_assessment[row[0]].append(row)
    per_framework: dict[int, _Framework] = {}
    columns = []
    clause_order: dict[str, Node] = {}
    for assessment in assessments:
        fw = assessment.framework_id
        if fw not in per_framework:
            per_framework[fw] = _Framework.read(engagement.pk, fw)
        columns.append(
            _column(assessment, by_assessment.get(assessment.pk, []), per_framework[fw], statuses, clause_order)
        )
    clauses = sorted(clause_order.values(), key=_ref_key)
    items = list(DocumentItem.objects.filter(engagement=engagement).order_by("order", "pk"))
    evidenced = _evidenced_refs(engagement)
    counts: dict[str, int] = defaultdict(int)
    for document in items:
        counts[document.status or "unknown"] += 1
    latest_ratings = {}
    if assessments:
        last = assessments[-1]
        for _a, _r, level, target, scale, _w, ref in by_assessment.get(last.pk, []):
            latest_ratings[ref] = (level, effective_target(target, last.default_target, scale))
    settings_row = GapSettings.objects.filter(engagement=engagement).first()
    return Dashboard(
        columns=columns,
        clauses=clauses,
        process_list=processes(),
        stage1=stage1_list(
            engagement, items, latest_ratings, assessments[-1] if assessments else None, settings_row, evidenced
        ),
        documents=dict(counts),
        documents_total=len(items),
    )


@dataclass
class _Framework:
    """What summarizing an assessment of a framework needs: its tree, process codes and weights."""

    nodes: dict[int, Node]
    codes: dict[int, list[str]]
    weights: dict[int, int]

    @classmethod
    def read(cls, engagement_id: int, framework_id: int) -> _Framework:
        codes = process_codes_by_requirement(framework_id)
        return cls(
            nodes=tree(framework_id),
            codes=codes,
            weights=weights_by_requirement(engagement_id, framework_id, codes=codes),
        )


def _column(
    assessment: Assessment,
    rows: list[tuple[Any, ...]],
    framework: _Framework,
    statuses: dict[int, str],
    clause_order: dict[str, Node],
) -> Column:
    """One assessment's readiness overall, by top clause and by process, and its documentation counts; the top
    clauses met are added to clause_order."""
    per_clause: dict[str, list[tuple[int | None, int, int]]] = defaultdict(list)
    per_process: dict[str, list[tuple[int | None, int, int]]] = defaultdict(list)
    everything = []
    doc_ready = doc_checked = 0
    for _a, requirement_id, level, target, scale, weight, _ref in rows:
        item = (
            level,
            effective_target(target, assessment.default_target, scale),
            framework.weights.get(requirement_id, weight),
        )
        everything.append(item)
        top = top_clause(framework.nodes, requirement_id)
        if top is not None:
            per_clause[top.ref_id].append(item)
            clause_order.setdefault(top.ref_id, top)
        for code in framework.codes.get(requirement_id, []):
            per_process[code].append(item)
        documentation = statuses.get(requirement_id, "")
        if documentation:
            doc_checked += 1
            doc_ready += documentation in DOCUMENTATION_READY
    return Column(
        assessment=assessment,
        overall=summarize(everything),
        by_clause={k: summarize(v) for k, v in per_clause.items()},
        by_process={k: summarize(v) for k, v in per_process.items()},
        documentation_ready=doc_ready,
        documentation_checked=doc_checked,
    )


def _ref_key(node: Node) -> RefKey:
    return ref_sort_key(node.ref_id)


def _evidenced_refs(engagement: Engagement) -> dict[int, set[str]]:
    """checklist item id -> references of the requirements it evidences (one query)."""
    through = DocumentItem.requirements.through
    result: dict[int, set[str]] = defaultdict(set)
    for item_id, ref in through.objects.filter(documentitem__engagement=engagement).values_list(
        "documentitem_id", "requirement__ref_id"
    ):
        result[item_id].add(ref)
    return result


def _stage1_source(decision: Decision, assessment: Assessment | None, answer: tuple[bool, str] | None) -> str:
    """Where a stage 1 answer comes from, in words."""
    if decision.kind == "documents":
        return _("Documented information: %(items)s") % {
            "items": join_entries(f"{d.name} {in_parentheses(d.status)}" for d in decision.documents)
        }
    if decision.kind == "rating" and assessment is not None:
        return _("Rating of clause %(refs)s in %(assessment)s") % {
            "refs": join_names(r.ref for r in decision.ratings),
            "assessment": assessment.name,
        }
    if decision.kind == "survey" and answer is not None:
        return answer[1]
    return _("No checklist status, rating or survey answer yet.")


def stage1_list(
    engagement: Engagement,
    items: list[DocumentItem],
    ratings: dict[str, tuple[int | None, int]],
    assessment: Assessment | None,
    gap_settings: GapSettings | None,
    evidenced: dict[int, set[str]] | None = None,
) -> list[Stage1]:
    """Each stage 1 condition as true, false or unknown, with where that comes from: the documented-information
    checklist first (the items marked for it and the items that evidence its clauses: the one stored
    documentation status), then the latest assessment's rating of the clause, then the survey (the precedence
    is the pure rule certprep.gaps.stage1.decide)."""
    answers = _survey_answers(engagement)
    evidenced = evidenced or {}
    result = []
    for item in Stage1Item:
        if item == Stage1Item.OPERATING:
            result.append(_operating(gap_settings))
            continue
        clauses = set(STAGE1_CLAUSES.get(item, ()))
        documents = [
            DocumentFact(name=str(d.tr.name), status=d.status)
            for d in items
            if d.stage1 == item or clauses & evidenced.get(d.pk, set())
        ]
        rated = [
            RatingFact(ref=ref, level=ratings[ref][0], target=ratings[ref][1])
            for ref in STAGE1_CLAUSES.get(item, ())
            if ref in ratings and assessment is not None
        ]
        answer = answers.get(item) if item in STAGE1_ANSWERS else None
        decision = decide(documents, rated, answer[0] if answer else None)
        labelled = Decision(
            decision.state,
            decision.kind,
            tuple(DocumentFact(d.name, _status_label(d.status)) for d in decision.documents),
            decision.ratings,
        )
        source = _stage1_source(labelled, assessment, answer)
        result.append(Stage1(item=item, label=str(item.label), state=decision.state, source=source, kind=decision.kind))
    return result


def _status_label(status: str) -> str:
    return str(DocumentStatus(status).label) if status in DocumentStatus.values else status


def _survey_answers(engagement: Engagement) -> dict[str, tuple[bool, str]]:
    wanted = {question for _t, question, _y, _n in STAGE1_ANSWERS.values()}
    found = (
        Answer.objects.filter(
            response__questionnaire__engagement=engagement, question__key__in=wanted, value__isnull=False
        )
        .select_related("question", "response__questionnaire", "response__respondent__person")
        .order_by("-response__submitted_at", "-updated_at")
    )
    result: dict[str, tuple[bool, str]] = {}
    for answer in found:
        template = answer.response.questionnaire.template_key or answer.response.questionnaire.key
        for item, (questionnaire, question, yes, no) in STAGE1_ANSWERS.items():
            if item in result or template != questionnaire or answer.question.key != question:
                continue
            if answer.value in yes or answer.value in no:
                label = next(
                    (o.get("label") for o in answer.question.options or [] if o.get("value") == answer.value),
                    answer.value,
                )
                result[item] = (
                    answer.value in yes,
                    _('Survey: %(person)s answered "%(answer)s" to "%(question)s"')
                    % {
                        "person": answer.response.respondent.person.name,
                        "answer": label,
                        "question": answer.question.tr.text,
                    },
                )
    return result


def _operating(gap_settings: GapSettings | None) -> Stage1:
    label = str(Stage1Item.OPERATING.label)
    since = gap_settings.sms_operating_since if gap_settings else None
    today = timezone.localdate()
    if since is None:
        return Stage1(
            item=Stage1Item.OPERATING,
            label=label,
            state=None,
            source=_("The start of SMS operation is not set in the gap analysis settings."),
        )
    return Stage1(
        item=Stage1Item.OPERATING,
        label=label,
        state=operating_long_enough(since, today),
        kind="settings",
        source=_("Operating since %(date)s: %(days)s days (at least %(needed)s needed).")
        % {"date": date_format(since), "days": operating_days(since, today), "needed": OPERATING_DAYS},
    )
