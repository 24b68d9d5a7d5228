"""The plan's Gantt chart: zoom, folded summary tasks and the baseline compared are query parameters (links that work
without script); an editor drags a bar, moves it with the keyboard (the page's script posts the change and swaps in
the chart the server draws again) or edits the selected task in the side form. Every change checks the task's
version: a stale one gets the conflict message."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.feedback import run_form
from certprep.engagements.access import engagement_for, engagement_for_page
from certprep.engagements.choices import Role
from certprep.planning.access import task_in
from certprep.planning.charts.gantt import GanttRow, Zoom, layout
from certprep.planning.charts.gantt_svg import names_svg, timeline_svg
from certprep.planning.gantt_forms import BarChangeForm, GanttTaskForm
from certprep.planning.models import Plan, Task
from certprep.planning.selectors.gantt import gantt_view
from certprep.planning.selectors.plan import plan_of
from certprep.planning.services.gantt import task_move, task_stretch
from certprep.planning.services.tasks import task_update
from certprep.planning.views.common import context

MAX_COLLAPSED = 500


@dataclass(frozen=True)
class ChartQuery:
    """The chart as the reader set it up: zoom, folded summary tasks, baseline compared, task selected."""

    zoom: Zoom = Zoom.WEEK
    collapsed: frozenset[int] = frozenset()
    baseline: int = 0
    task: int | None = None

    @classmethod
    def parse(cls, params: QueryDict) -> ChartQuery:
        zoom = params.get("zoom", "")
        ids = [part for part in params.get("collapsed", "").split(",")[:MAX_COLLAPSED] if part.isdigit()]
        baseline = params.get("baseline", "0")
        task = params.get("task", "")
        return cls(
            zoom=Zoom(zoom) if zoom in Zoom.__members__.values() else Zoom.WEEK,
            collapsed=frozenset(int(part) for part in ids if len(part) < 12),
            baseline=int(baseline) if baseline.isdigit() and int(baseline) <= 10 else 0,
            task=int(task) if task.isdigit() and len(task) < 12 else None,
        )

    def params(self) -> dict[str, str]:
        found = {"zoom": str(self.zoom), "baseline": str(self.baseline)}
        if self.collapsed:
            found["collapsed"] = ",".join(str(key) for key in sorted(self.collapsed))
        if self.task is not None:
            found["task"] = str(self.task)
        return found

    def href(self, **changes: Any) -> str:
        return "?" + urlencode(replace(self, **changes).params())


def _chart_context(plan: Plan, membership: Any, query: ChartQuery, **extra: Any) -> dict[str, Any]:
    view = gantt_view(plan, zoom=query.zoom, collapsed=query.collapsed, baseline_number=query.baseline)
    ctx = context(plan.engagement, membership, "gantt", **extra)
    editable = ctx["editable"]
    lay = layout(view.chart)

    def toggle(row: GanttRow, folded: bool) -> str:
        keys = query.collapsed - {row.key} if folded else query.collapsed | {row.key}
        return query.href(collapsed=frozenset(keys))

    def bar(row: GanttRow) -> str:
        return query.href(task=row.key) + "#gantt-form"

    selected = Task.objects.filter(plan=plan, pk=query.task).first() if editable and query.task else None
    return {
        **ctx,
        "view": view,
        "query": query,
        "zooms": [(zoom, query.href(zoom=zoom)) for zoom in Zoom],
        # Built by certprep.planning.charts.gantt_svg, every text escaped there.
        "names": mark_safe(names_svg(view.chart, toggle_href=toggle, lay=lay)),  # noqa: S308 - escaped by the renderer
        "timeline": mark_safe(timeline_svg(view.chart, bar_href=bar if editable else None, lay=lay)),  # noqa: S308 - likewise
        "selected": selected,
        "query_params": query.params(),
    }


def _side_form(data: QueryDict | None, task: Task | None) -> GanttTaskForm | None:
    """The side form of the selected task, bound to `data` when it was posted."""
    if task is None:
        return None
    initial = {
        "expected_version": task.version,
        "name": task.name,
        "constraint_type": task.constraint_type,
        "constraint_date": task.constraint_date,
        "duration_days": task.duration_days,
        "percent_complete": task.percent_complete,
    }
    return GanttTaskForm(data, initial=initial)


@login_required
def gantt(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    plan = plan_of(engagement)
    if plan is None:
        return redirect("planning:plan", engagement.pk)
    query = ChartQuery.parse(request.GET)
    conflict = False
    form = None
    if request.method == "POST":
        task = task_in(engagement, query.task or 0)
        task.plan = plan
        form = _side_form(request.POST, task)
        if form is not None and form.is_valid():
            saved, conflict = run_form(form, lambda: task_update(task=task, actor=request.user, **form.cleaned_data))
            if saved is not None:
                messages.success(request, _('Task "%(name)s" saved.') % {"name": saved.tr.name})
                return redirect(reverse("planning:gantt", args=[engagement.pk]) + query.href() + "#gantt-form")
    ctx = _chart_context(plan, membership, query, conflict=conflict)
    ctx["form"] = form or _side_form(None, ctx["selected"])
    return render(request, "planning/gantt.html", ctx)


def _fetched(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@login_required
@require_POST
def bar_change(request: SignedInRequest, engagement_id: int, task_id: int) -> HttpResponse:
    """A bar moved or stretched: the chart drawn again (for the page's script), or back to the chart page."""
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    task = task_in(engagement, task_id)
    query = ChartQuery.parse(request.POST)
    form = BarChangeForm(request.POST)
    problem, status = "", 200
    if not form.is_valid():
        problem, status = _("The change could not be read; reload the page."), 400
    else:
        try:
            _change(request, task, form.cleaned_data)
        except ConflictError as exc:
            problem, status = exc.message, 409
        except ServiceError as exc:
            problem, status = exc.message, 400
    if not _fetched(request):
        if problem:
            messages.error(request, problem)
        return redirect(reverse("planning:gantt", args=[engagement.pk]) + query.href())
    ctx = _chart_context(task.plan, membership, query, problem=problem, conflict=status == 409, moved=task.pk)
    ctx["form"] = _side_form(None, ctx["selected"])  # the selected task's form, with its version after the change
    return render(request, "planning/gantt_chart.html", ctx, status=status)


def _change(request: SignedInRequest, task: Task, data: dict[str, Any]) -> Task:
    """Move or stretch the task from where the schedule has it now (a bar dropped on a day needs no schedule)."""
    common = {"task": task, "actor": request.user, "expected_version": data["expected_version"]}
    if data["action"] == "move" and data["start"] is not None:
        return task_move(**common, start=data["start"])
    row = next((row for row in gantt_view(task.plan).chart.rows if row.key == task.pk), None)
    start = row.start if row is not None and row.start is not None else task.plan.start_date
    if data["action"] == "move":
        return task_move(**common, working_days=data["days"], scheduled_start=start)
    return task_stretch(**common, scheduled_start=start, finish=data["finish"], working_days=data["days"])
