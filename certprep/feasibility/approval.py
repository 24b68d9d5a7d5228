"""The feasibility scheme as top management approves it (certprep.core.parts.Approvable): its figures in
language-neutral values, compared with those stored at the approval to show what changed since.

The figures are every rating's score and weight, the weighted score, the recommendation recorded (and what the rule
proposed then), each benefit's money value per year and each risk's likelihood × impact; five queries at any size."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.budget.models import BudgetSettings
from certprep.core.parts import Approvable, ApprovalFigure
from certprep.engagements.models import Engagement
from certprep.feasibility.choices import Outcome
from certprep.feasibility.models import Benefit, Risk
from certprep.feasibility.selectors.economics import DEFAULT_CURRENCY
from certprep.feasibility.selectors.scheme import ratings_of, recommendation_of, score_of

CENT = Decimal("0.01")


def scheme_figures(engagement: Engagement) -> list[ApprovalFigure]:
    """The scheme's figures as they stand now (five queries)."""
    ratings = ratings_of(engagement)
    figures = []
    for r in ratings:
        label = r.get_key_display()
        figures.append(
            ApprovalFigure(f"rating:{r.key}", _("Rating: %(aspect)s") % {"aspect": label}, str(r.score or ""))
        )
        figures.append(ApprovalFigure(f"weight:{r.key}", _("Weight: %(aspect)s") % {"aspect": label}, str(r.weight)))
    score = score_of(ratings)
    figures.append(ApprovalFigure("score", _("Weighted feasibility score"), "" if score is None else str(score)))
    decision = recommendation_of(engagement)
    outcomes = {value: str(label) for value, label in Outcome.choices}
    figures.append(
        ApprovalFigure("recommendation", _("Recommendation"), decision.outcome if decision else "", outcomes)
    )
    figures.append(
        ApprovalFigure("proposed", _("Proposed by the rule"), decision.proposed if decision else "", outcomes)
    )
    currency = (
        BudgetSettings.objects.filter(engagement=engagement).values_list("reporting_currency", flat=True).first()
        or DEFAULT_CURRENCY
    )
    for pk, title, value in Benefit.objects.filter(engagement=engagement).values_list("pk", "title", "value_per_year"):
        shown = f"{title}: {value.quantize(CENT)} {currency}" if value is not None else f"{title}: -"
        figures.append(ApprovalFigure(f"benefit:{pk}", _("Benefit: %(title)s") % {"title": title}, shown))
    for pk, title, likelihood, impact in Risk.objects.filter(engagement=engagement).values_list(
        "pk", "title", "likelihood", "impact"
    ):
        shown = f"{title}: {likelihood} x {impact} = {likelihood * impact}"
        figures.append(ApprovalFigure(f"risk:{pk}", _("Risk: %(title)s") % {"title": title}, shown))
    return figures


scheme_approvable = Approvable[Engagement](
    key="feasibility",
    label=gettext_lazy("Feasibility scheme"),
    url_name="feasibility:overview",
    figures=scheme_figures,
)
