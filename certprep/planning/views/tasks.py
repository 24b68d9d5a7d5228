"""A task's form: its name, duration, progress, constraint and predecessors in MS Project's notation; adding a
task by hand and deleting one (after a page that lists what goes with it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certprep.core.actors import SignedInRequest
from certprep.core.errors import ServiceError
from certprep.core.feedback import run_form
from certprep.core.forms import VersionForm
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for, task_for, task_in
from certprep.planning.changes import links_from_rows, row_numbers, rows_of
from certprep.planning.explain import why
from certprep.planning.forms import TaskAddForm, TaskForm
from certprep.planning.models import Task
from certprep.planning.notation import format_links
from certprep.planning.selectors.page import ordered_tasks
from certprep.planning.selectors.plan import plan_tasks
from certprep.planning.selectors.tasks import task_removal
from certprep.planning.services.task_outline import task_indent, task_outdent
from certprep.planning.services.tasks import task_add, task_delete, task_update
from certprep.planning.views.common import context


def _initial(task: Task, rows: list[Task]) -> dict[str, Any]:
    return {
        "expected_version": task.version,
        "name": task.name,
        "name_zh": (task.translations.get("zh-hans") or {}).get("name", ""),
        "duration_days": task.duration_days,
        "optimistic_days": task.optimistic_days,
        "pessimistic_days": task.pessimistic_days,
        "milestone": task.milestone,
        "predecessors": format_links(rows_of(row_numbers(rows), task)),
        "percent_complete": task.percent_complete,
        "actual_start": task.actual_start,
        "actual_finish": task.actual_finish,
        "constraint_type": task.constraint_type,
        "constraint_date": task.constraint_date,
        "notes": task.notes,
    }


def _save(request: SignedInRequest, task: Task, rows: list[Task], data: dict[str, Any]) -> Task:
    fields = (
        "name",
        "duration_days",
        "optimistic_days",
        "pessimistic_days",
        "milestone",
        "percent_complete",
        "actual_start",
        "actual_finish",
    )
    return task_update(
        task=task,
        actor=request.user,
        expected_version=data["expected_version"],
        name_zh=data["name_zh"],
        predecessors=links_from_rows(rows, data["predecessors"]),
        constraint_type=data["constraint_type"],
        constraint_date=data["constraint_date"],
        notes=data["notes"],
        **{name: data[name] for name in fields},
    )


@login_required
def task_edit(request: SignedInRequest, engagement_id: int, task_id: int) -> HttpResponse:
    task, membership = task_for(request.user, engagement_id, task_id, role=Role.EDITOR)
    ordered = ordered_tasks(list(plan_tasks(task.plan)))
    rows = [row for row, _code in ordered]
    shown = next(row for row in rows if row.pk == task.pk)
    shown.plan = task.plan
    number, wbs = next((n, code) for n, (row, code) in enumerate(ordered, 1) if row.pk == task.pk)
    form = TaskForm(request.POST or None, initial=_initial(shown, rows))
    conflict = False
    if request.method == "POST" and form.is_valid():
        saved, conflict = run_form(form, lambda: _save(request, shown, rows, form.cleaned_data))
        if saved is not None:
            messages.success(request, _('Task "%(name)s" saved.') % {"name": saved.tr.name})
            return redirect("planning:plan", engagement_id)
    return render(
        request,
        "planning/task_edit.html",
        context(
            task.plan.engagement,
            membership,
            "plan",
            task=shown,
            number=number,
            wbs=wbs,
            why=why(shown.rule, shown.reason),
            form=form,
            conflict=conflict,
            rows=ordered,
        ),
    )


def _add(request: SignedInRequest, plan: Any, rows: list[Task], data: dict[str, Any]) -> Task:
    engagement = plan.engagement
    return task_add(
        plan=plan,
        actor=request.user,
        name=data["name"],
        name_zh=data["name_zh"],
        parent=task_in(engagement, data["parent_id"]) if data["parent_id"] else None,
        after=task_in(engagement, data["after_id"]) if data["after_id"] else None,
        duration_days=data["duration_days"],
        milestone=data["milestone"],
        predecessors=links_from_rows(rows, data["predecessors"]),
    )


@login_required
def task_new(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    plan, membership = plan_for(request.user, engagement_id, role=Role.EDITOR)
    ordered = ordered_tasks(list(plan_tasks(plan)))
    rows = [row for row, _code in ordered]
    form = TaskAddForm(request.POST or None, rows=ordered)
    if request.method == "POST" and form.is_valid():
        saved, _conflict = run_form(form, lambda: _add(request, plan, rows, form.cleaned_data))
        if saved is not None:
            messages.success(request, _('Task "%(name)s" added.') % {"name": saved.tr.name})
            return redirect(reverse("planning:plan", args=[engagement_id]) + f"#task-{saved.pk}")
    return render(
        request,
        "planning/task_add.html",
        context(plan.engagement, membership, "plan", form=form, rows=ordered),
    )


@login_required
def task_remove(request: SignedInRequest, engagement_id: int, task_id: int) -> HttpResponse:
    task, membership = task_for(request.user, engagement_id, task_id, role=Role.EDITOR)
    form = VersionForm(request.POST or None, initial={"expected_version": task.version})
    if request.method == "POST":
        if form.is_valid():
            try:
                task_delete(task=task, actor=request.user, expected_version=form.cleaned_data["expected_version"])
            except ServiceError as exc:
                messages.error(request, exc.message)
                return redirect("planning:task_edit", engagement_id, task.pk)
            messages.success(request, _('Task "%(name)s" deleted.') % {"name": task.tr.name})
            return redirect("planning:plan", engagement_id)
        messages.error(request, _("The deletion was not confirmed; try again."))
    return render(
        request,
        "planning/task_delete.html",
        context(task.plan.engagement, membership, "plan", form=form, removal=task_removal(task)),
    )


def _move(request: SignedInRequest, engagement_id: int, task_id: int, move: Any) -> HttpResponse:
    """Indent or outdent a task from its form's buttons (a GET just shows the form)."""
    task, _membership = task_for(request.user, engagement_id, task_id, role=Role.EDITOR)
    form = VersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            move(task=task, actor=request.user, expected_version=form.cleaned_data["expected_version"])
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("planning:task_edit", engagement_id, task.pk)
        messages.success(request, _('Task "%(name)s" moved.') % {"name": task.tr.name})
        return redirect(reverse("planning:plan", args=[engagement_id]) + f"#task-{task.pk}")
    return redirect("planning:task_edit", engagement_id, task.pk)


@login_required
def task_indent_view(request: SignedInRequest, engagement_id: int, task_id: int) -> HttpResponse:
    return _move(request, engagement_id, task_id, task_indent)


@login_required
def task_outdent_view(request: SignedInRequest, engagement_id: int, task_id: int) -> HttpResponse:
    return _move(request, engagement_id, task_id, task_outdent)
