"""The implementation plan as top management approves it (certprep.core.parts.Approvable): its figures in
language-neutral values, compared with the figures stored at the approval to show what changed since.

The figures are each task's WBS code, name, scheduled start and finish and duration (a summary task's span, a
milestone's date), and each audit booking's kind and date; four queries at any plan size (the shared schedule
from plain values)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.core.parts import Approvable, ApprovalFigure
from certprep.engagements.models import Engagement
from certprep.planning.choices import AuditKind
from certprep.planning.explain import outline
from certprep.planning.models import AuditBooking
from certprep.planning.selectors.plan import plan_of
from certprep.planning.selectors.schedule import scheduled_values


def plan_figures(engagement: Engagement) -> list[ApprovalFigure]:
    """The plan's figures as they stand now (none without a plan)."""
    plan = plan_of(engagement)
    if plan is None:
        return []
    values = scheduled_values(plan, "translations")
    scheduled = {item.key: item for item in values.result.tasks}
    by_pk = {task["id"]: task for task in values.tasks}
    figures = [ApprovalFigure("start", _("Plan start"), plan.start_date.isoformat())]
    for pk, code in outline((task["id"], task["parent_id"]) for task in values.tasks):
        task, item = by_pk[pk], scheduled.get(pk)
        summary = item is not None and item.summary  # a summary task's span is its tasks'; it has no duration
        start = item.start.date().isoformat() if item else "-"
        finish = item.finish.date().isoformat() if item else "-"
        if task["milestone"]:
            figures.append(
                ApprovalFigure(
                    f"milestone:{pk}", _("Milestone %(wbs)s") % {"wbs": code}, f"{code} {task['name']}: {finish}"
                )
            )
            continue
        figures.append(
            ApprovalFigure(
                f"task:{pk}",
                _("Task %(wbs)s") % {"wbs": code},
                f"{code} {task['name']}: {start} - {finish}" + ("" if summary else f", {task['duration_days']} d"),
            )
        )
    for kind, batch, day, pk in (
        AuditBooking.objects.filter(plan=plan).order_by("date", "pk").values_list("kind", "batch", "date", "pk")
    ):
        figures.append(
            ApprovalFigure(
                f"audit:{pk}",
                _("%(audit)s, batch %(batch)s") % {"audit": AuditKind(kind).label, "batch": batch},
                f"{kind} (batch {batch}): {day.isoformat()}",
            )
        )
    return figures


plan_approvable = Approvable[Engagement](
    key="plan", label=gettext_lazy("Implementation plan"), url_name="planning:plan", figures=plan_figures
)
