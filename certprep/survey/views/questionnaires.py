"""Pages to read and adapt the engagement's questionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.feedback import attempt
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role
from certprep.survey.forms.questionnaires import QuestionForm, QuestionnaireForm
from certprep.survey.models import Question, Questionnaire
from certprep.survey.selectors.tracking import process_names
from certprep.survey.services import questionnaires as services


@login_required
def questionnaire_list(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    questionnaires = engagement.questionnaires.annotate(question_count=Count("questions")).order_by("order", "id")
    return render(
        request,
        "survey/questionnaires.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "questionnaires",
            "editable": can(membership, Role.EDITOR),
            "questionnaires": questionnaires,
            "process_names": process_names(),
        },
    )


@login_required
def questionnaire_detail(request: HttpRequest, engagement_id: int, questionnaire_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id, engagement=engagement)
    editable = can(membership, Role.EDITOR)
    form = QuestionnaireForm(
        request.POST or None,
        initial={
            "expected_version": questionnaire.version,
            "title": questionnaire.title,
            "intro": questionnaire.intro,
            "audience": questionnaire.audience,
        },
    )
    if request.method == "POST":
        engagement_for(request.user, engagement_id, role=Role.EDITOR)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
            try:
                services.questionnaire_update(
                    questionnaire=questionnaire,
                    actor=request.user,
                    expected_version=form.cleaned_data["expected_version"],
                    data=data,
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Questionnaire saved."))
                return redirect("survey:questionnaire", engagement.pk, questionnaire.pk)
    questions = list(questionnaire.questions.order_by("order", "id"))
    return render(
        request,
        "survey/questionnaire.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "questionnaires",
            "editable": editable,
            "questionnaire": questionnaire,
            "questions": questions,
            "form": form,
            "new_form": QuestionForm(),
            "process_name": process_names().get(questionnaire.process_code, ""),
        },
    )


@login_required
def question_new(request: HttpRequest, engagement_id: int, questionnaire_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id, engagement=engagement)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(questionnaire=questionnaire, actor=request.user, data=form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Question added at the end."))
            return redirect("survey:questionnaire", engagement.pk, questionnaire.pk)
    return render(
        request,
        "survey/question_form.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "questionnaires",
            "questionnaire": questionnaire,
            "form": form,
        },
    )


@login_required
def question_edit(request: HttpRequest, engagement_id: int, question_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    question = get_object_or_404(
        Question.objects.select_related("questionnaire"), pk=question_id, questionnaire__engagement=engagement
    )
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            services.question_update(
                question=question,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"] or 0,
                data=data,
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            conflict = True
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Question saved."))
            return redirect("survey:questionnaire", engagement.pk, question.questionnaire_id)
    return render(
        request,
        "survey/question_form.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "questionnaires",
            "questionnaire": question.questionnaire,
            "question": question,
            "form": form,
            "conflict": conflict,
        },
    )


@login_required
@require_POST
def question_delete(request: HttpRequest, engagement_id: int, question_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    question = get_object_or_404(Question, pk=question_id, questionnaire__engagement=engagement)
    attempt(request, lambda: services.question_delete(question=question, actor=request.user), _("Question removed."))
    return redirect("survey:questionnaire", engagement.pk, question.questionnaire_id)


@login_required
@require_POST
def question_move(request: HttpRequest, engagement_id: int, question_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    question = get_object_or_404(Question, pk=question_id, questionnaire__engagement=engagement)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.question_move(question=question, actor=request.user, direction=direction)
    return redirect(
        reverse("survey:questionnaire", args=[engagement.pk, question.questionnaire_id]) + f"#question-{question.pk}"
    )


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
