"""The management basis as certprep already knows it: statements gathered from the organization profile, the
survey, the responsibility matrix and the gap analysis, each with its source and a link to the page it comes
from, and the suggested rating of each aspect (certprep.feasibility.basis_rule). An engagement without a survey
or a gap analysis gets statements saying what is missing. A fixed number of queries, whatever the data's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from certprep.catalogue.selectors import lens_process_names
from certprep.core.wording import join_entries, join_names
from certprep.engagements.choices import Certification, ItilAdoption
from certprep.engagements.models import Engagement, OrganizationProfile
from certprep.feasibility import basis_rule
from certprep.feasibility.choices import BASIS_KEYS, RatingKey
from certprep.gaps.models import Rating as GapRating
from certprep.gaps.rules import effective_target, summarize
from certprep.gaps.selectors.assessments import latest_assessment
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.responsibilities.rules import ERROR
from certprep.responsibilities.selectors import matrix_view
from certprep.survey.choices import ResponseStatus
from certprep.survey.models import Answer, Response

WEAKEST_SHOWN = 3


@dataclass(frozen=True)
class Statement:
    """One fact about an aspect: the text (already in the reader's language), where it comes from and the page
    that shows it, and its signal on the 1-5 scale (None when it says what is missing)."""

    aspect: str
    text: str
    source: str
    url: str
    signal: int | None = None

    @property
    def missing(self) -> bool:
        return self.signal is None


@dataclass
class Basis:
    statements: dict[str, list[Statement]] = field(default_factory=lambda: {key: [] for key in BASIS_KEYS})
    readiness_percent: float | None = None
    itil_signal: int | None = None

    def suggested(self, aspect: str) -> int | None:
        return basis_rule.suggestion(s.signal for s in self.statements.get(aspect, []))

    @property
    def suggestions(self) -> dict[str, int | None]:
        return {key: self.suggested(key) for key in BASIS_KEYS}

    def add(self, statement: Statement) -> None:
        self.statements[statement.aspect].append(statement)


def _profile(basis: Basis, engagement: Engagement) -> None:
    profile = OrganizationProfile.objects.filter(engagement=engagement).first()
    source, url = _("Organization profile"), reverse("engagements:profile", args=[engagement.pk])
    itil = ItilAdoption(profile.itil_adoption) if profile and profile.itil_adoption else None
    if itil is None:
        basis.add(
            Statement(RatingKey.ITIL_FOUNDATION, _("The profile does not say how far ITIL is used."), source, url)
        )
    else:
        basis.itil_signal = basis_rule.ITIL_SIGNAL[itil.value]
        text = _("ITIL adoption: %(level)s.") % {"level": itil.label}
        basis.add(Statement(RatingKey.ITIL_FOUNDATION, text, source, url, basis.itil_signal))
    if profile and profile.itsm_tools:
        text = _("ITSM tools in use: %(tools)s.") % {"tools": join_entries(profile.itsm_tools)}
        basis.add(Statement(RatingKey.ITIL_FOUNDATION, text, source, url, 4))
    elif profile:
        basis.add(Statement(RatingKey.ITIL_FOUNDATION, _("The profile names no ITSM tool in use."), source, url, 2))
    if profile and profile.people_in_scope:
        text = _("%(n)s people work in the scope of the service management system.") % {"n": profile.people_in_scope}
        basis.add(Statement(RatingKey.ORGANIZATION_STRUCTURE, text, source, url))
    certifications = list(profile.existing_certifications) if profile else []
    labels = dict(Certification.choices)
    if profile:
        text = (
            _("Management systems already certified: %(names)s.")
            % {"names": join_names(labels.get(c, c) for c in certifications)}
            if certifications
            else _("No management system is certified yet.")
        )
        signal = basis_rule.certifications_signal(len(certifications))
        basis.add(Statement(RatingKey.MANAGEMENT_RISKS, text, source, url, signal))
    else:
        basis.add(Statement(RatingKey.MANAGEMENT_RISKS, _("The organization profile is not filled in."), source, url))


def _survey(basis: Basis, engagement: Engagement) -> None:
    counts = Response.objects.filter(questionnaire__engagement=engagement).aggregate(
        total=Count("pk"), submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED))
    )
    flagged = Answer.objects.filter(response__questionnaire__engagement=engagement, flagged=True).count()
    source, url = _("Survey: current state"), reverse("survey:state", args=[engagement.pk])
    if not counts["total"]:
        basis.add(
            Statement(
                RatingKey.ITIL_FOUNDATION, _("No survey response yet: the current state is unknown."), source, url
            )
        )
        return
    percent = 100 * counts["submitted"] / counts["total"]
    text = _("%(submitted)s of %(total)s survey responses are submitted.") % counts
    basis.add(Statement(RatingKey.ITIL_FOUNDATION, text, source, url, basis_rule.percent_signal(percent)))
    text = _("%(n)s survey answers are flagged for a closer look.") % {"n": flagged}
    basis.add(Statement(RatingKey.MANAGEMENT_RISKS, text, source, url, 2 if flagged else 4))


def _matrix(basis: Basis, engagement: Engagement) -> None:
    view = matrix_view(engagement)
    source, url = _("Responsibility matrix"), reverse("responsibilities:matrix", args=[engagement.pk])
    errors = sum(1 for v in view.violations if v.severity == ERROR)
    warnings = len(view.violations) - errors
    signal = basis_rule.matrix_signal(roles=len(view.roles), errors=errors, warnings=warnings)
    if signal is None:
        text = _("No responsibility matrix yet: roles and who answers for what are not set down.")
    else:
        text = _("%(roles)s roles in the matrix; its check finds %(errors)s errors and %(warnings)s warnings.") % {
            "roles": len(view.roles),
            "errors": errors,
            "warnings": warnings,
        }
    basis.add(Statement(RatingKey.ORGANIZATION_STRUCTURE, text, source, url, signal))


def _gaps(basis: Basis, engagement: Engagement) -> None:
    assessment = latest_assessment(engagement)
    source = _("Gap analysis")
    url = reverse("gaps:overview", args=[engagement.pk])
    if assessment is None:
        for aspect in (RatingKey.ITIL_FOUNDATION, RatingKey.MANAGEMENT_RISKS):
            basis.add(Statement(aspect, _("No gap analysis yet: readiness is unknown."), source, url))
        return
    rows = list(
        GapRating.objects.filter(assessment=assessment).values_list(
            "requirement_id", "level", "target", "scale", "requirement__weight"
        )
    )
    items = [
        (level, effective_target(target, assessment.default_target, scale), weight)
        for _r, level, target, scale, weight in rows
    ]
    overall = summarize(items)
    codes = process_codes_by_requirement(assessment.framework_id)
    by_process: dict[str, list[tuple[int | None, int, int]]] = defaultdict(list)
    for (requirement_id, *_rest), item in zip(rows, items, strict=True):
        for code in codes.get(requirement_id, []):
            by_process[code].append(item)
    basis.readiness_percent = overall.percent if overall.rated else None
    if basis.readiness_percent is None:
        text = _("The gap analysis has no rating yet.")
        basis.add(Statement(RatingKey.ITIL_FOUNDATION, text, source, url))
        basis.add(Statement(RatingKey.MANAGEMENT_RISKS, text, source, url))
        return
    text = _("Readiness %(percent)s %% over %(total)s requirements (%(rated)s rated).") % {
        "percent": overall.percent,
        "total": overall.total,
        "rated": overall.rated,
    }
    basis.add(Statement(RatingKey.ITIL_FOUNDATION, text, source, url, basis_rule.percent_signal(overall.percent or 0)))
    text = _("%(gaps)s of %(rated)s rated requirements are below their target.") % {
        "gaps": overall.gaps,
        "rated": overall.rated,
    }
    signal = basis_rule.gaps_share_signal(gaps=overall.gaps, rated=overall.rated)
    basis.add(Statement(RatingKey.MANAGEMENT_RISKS, text, source, url, signal))
    names = lens_process_names()
    ranked = sorted(
        (
            (summary.percent, code)
            for code, summary in ((c, summarize(i)) for c, i in by_process.items())
            if summary.rated
        ),
        key=lambda pair: (pair[0] if pair[0] is not None else 0, pair[1]),
    )
    if ranked:
        weakest = join_names(f"{names.get(code, code)} {percent} %" for percent, code in ranked[:WEAKEST_SHOWN])
        text = _("Least ready processes: %(list)s.") % {"list": weakest}
        basis.add(Statement(RatingKey.MANAGEMENT_RISKS, text, source, url))


def basis_of(engagement: Engagement) -> Basis:
    basis = Basis()
    _profile(basis, engagement)
    _survey(basis, engagement)
    _matrix(basis, engagement)
    _gaps(basis, engagement)
    return basis
