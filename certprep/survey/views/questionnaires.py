"""Pages to read and adapt the engagement's questionnaires."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, run_form
from certprep.engagements.access import can, engagement_for, page_role
from certprep.engagements.choices import Role
from certprep.engagements.models import Membership
from certprep.survey.access import question_for, questionnaire_for
from certprep.survey.changes import question_changes, questionnaire_changes
from certprep.survey.forms.questionnaires import QuestionForm, QuestionnaireForm
from certprep.survey.selectors.questionnaires import questionnaires_of, questions_of
from certprep.survey.selectors.tracking import process_names
from certprep.survey.services import questionnaires as services


def _context(membership: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": membership.engagement,
        "membership": membership,
        "active": "survey",
        "subnav": "questionnaires",
        "editable": can(membership, Role.EDITOR),
        **extra,
    }


@login_required
def questionnaire_list(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    return render(
        request,
        "survey/questionnaires.html",
        _context(membership, questionnaires=questionnaires_of(engagement), process_names=process_names()),
    )


@login_required
def questionnaire_detail(request: SignedInRequest, engagement_id: int, questionnaire_id: int) -> HttpResponse:
    questionnaire, membership = questionnaire_for(
        request.user, engagement_id, questionnaire_id, role=page_role(request)
    )
    form = QuestionnaireForm(request.POST or None, initial=QuestionnaireForm.initial_for(questionnaire))
    if request.method == "POST" and form.is_valid():
        saved, _conflict = run_form(
            form,
            lambda: services.questionnaire_update(
                questionnaire=questionnaire,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                data=questionnaire_changes(form.cleaned_data),
            ),
        )
        if saved is not None:
            messages.success(request, _("Questionnaire saved."))
            return redirect("survey:questionnaire", membership.engagement.pk, questionnaire.pk)
    return render(
        request,
        "survey/questionnaire.html",
        _context(
            membership,
            questionnaire=questionnaire,
            questions=list(questions_of(questionnaire.pk)),
            form=form,
            new_form=QuestionForm(),
            process_name=process_names().get(questionnaire.process_code, ""),
        ),
    )


@login_required
def question_new(request: SignedInRequest, engagement_id: int, questionnaire_id: int) -> HttpResponse:
    questionnaire, membership = questionnaire_for(request.user, engagement_id, questionnaire_id, role=Role.EDITOR)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added, _conflict = run_form(
            form,
            lambda: services.question_add(
                questionnaire=questionnaire, actor=request.user, data=question_changes(form.cleaned_data)
            ),
        )
        if added is not None:
            messages.success(request, _("Question added at the end."))
            return redirect("survey:questionnaire", membership.engagement.pk, questionnaire.pk)
    return render(request, "survey/question_form.html", _context(membership, questionnaire=questionnaire, form=form))


@login_required
def question_edit(request: SignedInRequest, engagement_id: int, question_id: int) -> HttpResponse:
    question, membership = question_for(request.user, engagement_id, question_id, role=Role.EDITOR)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    conflict = False
    if request.method == "POST" and form.is_valid():
        saved, conflict = run_form(
            form,
            lambda: services.question_update(
                question=question,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"] or 0,
                data=question_changes(form.cleaned_data),
            ),
        )
        if saved is not None:
            messages.success(request, _("Question saved."))
            return redirect("survey:questionnaire", membership.engagement.pk, question.questionnaire_id)
    return render(
        request,
        "survey/question_form.html",
        _context(membership, questionnaire=question.questionnaire, question=question, form=form, conflict=conflict),
    )


@login_required
@require_POST
def question_delete(request: SignedInRequest, engagement_id: int, question_id: int) -> HttpResponse:
    question, membership = question_for(request.user, engagement_id, question_id, role=Role.EDITOR)
    attempt(request, lambda: services.question_delete(question=question, actor=request.user), _("Question removed."))
    return redirect("survey:questionnaire", membership.engagement.pk, question.questionnaire_id)


@login_required
@require_POST
def question_move(request: SignedInRequest, engagement_id: int, question_id: int) -> HttpResponse:
    question, membership = question_for(request.user, engagement_id, question_id, role=Role.EDITOR)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.question_move(question=question, actor=request.user, direction=direction)
    url = reverse("survey:questionnaire", args=[membership.engagement.pk, question.questionnaire_id])
    return redirect(f"{url}#question-{question.pk}")


urlpatterns = [
    path("e/<int:engagement_id>/survey/questionnaires/", questionnaire_list, name="questionnaires"),
    path(
        "e/<int:engagement_id>/survey/questionnaires/<int:questionnaire_id>/",
        questionnaire_detail,
        name="questionnaire",
    ),
    path(
        "e/<int:engagement_id>/survey/questionnaires/<int:questionnaire_id>/questions/new/",
        question_new,
        name="question_new",
    ),
    path("e/<int:engagement_id>/survey/questions/<int:question_id>/", question_edit, name="question_edit"),
    path("e/<int:engagement_id>/survey/questions/<int:question_id>/delete/", question_delete, name="question_delete"),
    path("e/<int:engagement_id>/survey/questions/<int:question_id>/move/", question_move, name="question_move"),
]
