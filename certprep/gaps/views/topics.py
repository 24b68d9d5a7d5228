"""Improvement topics: generated from the gaps, edited, merged and split."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.feedback import attempt, run_form
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.gaps.choices import TopicStatus
from certprep.gaps.forms import GenerateTopicsForm, SplitForm, TopicForm
from certprep.gaps.models import Assessment, ImprovementTopic, Rating
from certprep.gaps.rules import HIGH_FROM, MEDIUM_FROM
from certprep.gaps.selectors.topics import requirement_choices, requirement_search, topic_views, with_texts
from certprep.gaps.services import topics as services
from certprep.gaps.views.common import assessment_of, context
from certprep.people.models import Person

TOPICS_PER_PAGE = 50


def _people(engagement: Engagement) -> list[Person]:
    return list(Person.objects.filter(engagement=engagement).order_by("name"))


def _same_text(posted: str, shown: str) -> bool:
    """Whether a posted text is the one the form showed (browsers send line breaks as CR LF)."""
    return posted.replace("\r\n", "\n").strip() == (shown or "").replace("\r\n", "\n").strip()


def _topic(engagement: Engagement, topic_id: int) -> ImprovementTopic:
    return get_object_or_404(
        ImprovementTopic.objects.select_related("engagement", "owner"), pk=topic_id, engagement=engagement
    )


@login_required
def topic_list(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    status = request.GET.get("status", "")
    views = topic_views(engagement)
    if status in TopicStatus.values:
        views = [v for v in views if v.topic.status == status]
    # The list shows a page of topics, highest priority first; the figures are computed for all of them.
    page = Paginator(views, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    with_texts(page.object_list)
    assessments = list(Assessment.objects.filter(engagement=engagement).order_by("-assessed_on", "-pk"))
    return render(
        request,
        "gaps/topics.html",
        context(
            engagement,
            membership,
            "topics",
            views=views,
            page=page,
            status=status,
            statuses=TopicStatus.choices,
            assessments=assessments,
            generate_form=GenerateTopicsForm(),
            high_from=HIGH_FROM,
            rating_base=reverse("gaps:rating", args=[engagement.pk, 0]).removesuffix("0/"),
            medium_from=MEDIUM_FROM,
        ),
    )


@login_required
@require_POST
def topics_generate(request: HttpRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    current = assessment_of(engagement, assessment_id)
    form = GenerateTopicsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Group topics by process or by clause."))
        return redirect("gaps:topics", engagement.pk)
    created = attempt(
        request,
        lambda: services.topics_generate(
            assessment=current, actor=request.user, grouping=form.cleaned_data["grouping"]
        ),
        lambda made: (
            _("%(n)s topics created from the gaps of %(assessment)s.") % {"n": len(made), "assessment": current.name}
            if made
            else _("Every gap of %(assessment)s is already covered by a topic.") % {"assessment": current.name}
        ),
    )
    del created
    return redirect("gaps:topics", engagement.pk)


@login_required
def topic_edit(request: HttpRequest, engagement_id: int, topic_id: int | None = None) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topic = _topic(engagement, topic_id) if topic_id else None
    initial: dict[str, Any] = {}
    rating_choices = requirement_choices(engagement)
    if topic is not None:
        linked = list(topic.ratings.select_related("requirement").order_by("requirement__order"))
        known = {pk for pk, _l in rating_choices}
        rating_choices += [
            (r.pk, f"{r.requirement.ref_id} {r.requirement.tr.name}") for r in linked if r.pk not in known
        ]
        initial = {
            "expected_version": topic.version,
            "title": topic.tr.title,
            "description": topic.tr.description,
            "owner": topic.owner_id,
            "due_date": topic.due_date,
            "status": topic.status,
            "ratings": [r.pk for r in linked],
        }
    people = _people(engagement)
    form = TopicForm(request.POST or None, initial=initial, people=people, ratings=rating_choices)
    conflict = False
    # "Find" in the picker (without JavaScript) shows the page again with the search results to tick.
    finding = request.method == "POST" and "find_requirements" in request.POST
    if request.method == "POST" and not finding and form.is_valid():
        data = form.cleaned_data
        owner = next((p for p in people if p.pk == data["owner"]), None)
        chosen = list(
            Rating.objects.filter(pk__in=data["ratings"], assessment__engagement=engagement).select_related(
                "requirement", "assessment"
            )
        )
        if topic is None:
            saved, conflict = run_form(
                form,
                lambda: services.topic_create(
                    engagement=engagement,
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    ratings=chosen,
                    owner=owner,
                    due_date=data["due_date"],
                    status=data["status"],
                ),
            )
        else:
            saved, conflict = run_form(
                form,
                lambda: services.topic_update(
                    topic=topic,
                    actor=request.user,
                    expected_version=data["expected_version"] or 0,
                    # A text left as shown (in the reader's language) is not an edit of the topic's own text.
                    title=None if data["title"] == initial["title"] else data["title"],
                    description=None
                    if _same_text(data["description"], initial["description"])
                    else data["description"],
                    owner=owner,
                    due_date=data["due_date"],
                    status=data["status"],
                    ratings=chosen,
                ),
            )
        if saved is not None:
            messages.success(request, _("Topic saved."))
            return redirect("gaps:topics", engagement.pk)
    split_form = None
    if topic is not None:
        split_form = SplitForm(
            ratings=[(pk, label) for pk, label in rating_choices if pk in set(initial.get("ratings", []))],
            initial={"expected_version": topic.version},
            prefix="split",
        )
    labels = dict(rating_choices)
    if form.is_bound:
        chosen_ids = [int(v) for v in request.POST.getlist("ratings") if v.isdigit() and int(v) in labels]
    else:
        chosen_ids = list(initial.get("ratings", []))
    query = (request.POST if form.is_bound else request.GET).get("q", "").strip()[:100]
    found, found_total = requirement_search(rating_choices, query, exclude=chosen_ids)
    return render(
        request,
        "gaps/topic_edit.html",
        context(
            engagement,
            membership,
            "topics",
            topic=topic,
            form=form,
            conflict=conflict,
            split_form=split_form,
            chosen=[(pk, labels[pk]) for pk in dict.fromkeys(chosen_ids)],
            query=query,
            found=found,
            found_total=found_total,
        ),
    )


@login_required
def topic_requirements(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """The picker's search results as a fragment: requirements to add to a topic (editors)."""
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    query = request.GET.get("q", "").strip()[:100]
    exclude = [int(v) for v in request.GET.get("exclude", "").split(",") if v.isdigit()][:2000]
    found, found_total = requirement_search(requirement_choices(engagement), query, exclude=exclude)
    return render(
        request,
        "gaps/partials/topic_picker_results.html",
        {"found": found, "found_total": found_total, "query": query},
    )


@login_required
@require_POST
def topic_merge(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    ids = [int(v) for v in request.POST.getlist("topics") if v.isdigit()][:200]
    chosen = list(
        ImprovementTopic.objects.filter(engagement=engagement, pk__in=ids).select_related("engagement", "owner")
    )
    attempt(
        request,
        lambda: services.topic_merge(topics=chosen, actor=request.user),
        lambda kept: _('Topics merged into "%(title)s".') % {"title": kept.title},
    )
    return redirect("gaps:topics", engagement.pk)


@login_required
@require_POST
def topic_split(request: HttpRequest, engagement_id: int, topic_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topic = _topic(engagement, topic_id)
    # Any of the engagement's ratings is a valid choice here: the service checks the version first, so a
    # stale page is told so, then moves only what the topic still holds.
    submitted = [int(v) for v in request.POST.getlist("split-ratings") if v.isdigit()][:1000]
    chosen = Rating.objects.filter(assessment__engagement=engagement, pk__in=submitted).select_related("requirement")
    form = SplitForm(request.POST, ratings=[(r.pk, str(r.requirement)) for r in chosen], prefix="split")
    if not form.is_valid():
        messages.error(request, _("Give the new topic a title and choose the requirements to move."))
        return redirect("gaps:topic_edit", engagement.pk, topic.pk)
    picked = set(form.cleaned_data["ratings"])
    moving = [r for r in chosen if r.pk in picked]
    new = attempt(
        request,
        lambda: services.topic_split(
            topic=topic,
            actor=request.user,
            expected_version=form.cleaned_data["expected_version"],
            ratings=moving,
            title=form.cleaned_data["title"],
        ),
        lambda made: _('Topic "%(title)s" split off.') % {"title": made.title},
    )
    return redirect("gaps:topic_edit", engagement.pk, new.pk if new else topic.pk)


@login_required
@require_POST
def topic_delete(request: HttpRequest, engagement_id: int, topic_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topic = _topic(engagement, topic_id)
    attempt(request, lambda: services.topic_delete(topic=topic, actor=request.user), _("Topic deleted."))
    return redirect("gaps:topics", engagement.pk)
