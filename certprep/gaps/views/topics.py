"""Improvement topics: generated from the gaps, edited, merged and split."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, run_form
from certprep.core.parts import part_links
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.gaps.access import assessment_for, person_named, ratings_named, topic_for, topics_named
from certprep.gaps.changes import topic_changes
from certprep.gaps.choices import TopicStatus
from certprep.gaps.forms import GenerateTopicsForm, SplitForm, TopicForm
from certprep.gaps.models import ImprovementTopic
from certprep.gaps.rules import HIGH_FROM, MEDIUM_FROM
from certprep.gaps.selectors.assessments import latest_assessment
from certprep.gaps.selectors.topic_details import linked_requirements, requirement_labels
from certprep.gaps.selectors.topics import requirement_choices, requirement_search, topic_views, with_texts
from certprep.gaps.services import topics as services
from certprep.gaps.views.common import context
from certprep.people.selectors import people_by_name

TOPICS_PER_PAGE = 50
TOPIC_KIND = "gaps.improvementtopic"  # how later parts' links name a topic (certprep.core.parts.LinkFinder)


def _same_text(posted: str, shown: str) -> bool:
    """Whether a posted text is the one the form showed (browsers send line breaks as CR LF)."""
    return posted.replace("\r\n", "\n").strip() == (shown or "").replace("\r\n", "\n").strip()


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
    # What later parts made of the shown topics (the plan's tasks), asked through the parts: gaps sits below them.
    linked = part_links(engagement, TOPIC_KIND, [v.topic.pk for v in page.object_list])
    for v in page.object_list:
        setattr(v, "part_links", linked.get(v.topic.pk, []))  # noqa: B010 - the list's rows take what the page adds
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
            latest=latest_assessment(engagement),  # topics are generated from the newest assessment
            generate_form=GenerateTopicsForm(),
            high_from=HIGH_FROM,
            rating_base=reverse("gaps:rating", args=[engagement.pk, 0]).removesuffix("0/"),
            medium_from=MEDIUM_FROM,
        ),
    )


@login_required
@require_POST
def topics_generate(request: SignedInRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    current, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    form = GenerateTopicsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Group topics by process or by clause."))
        return redirect("gaps:topics", engagement_id)
    attempt(
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
    return redirect("gaps:topics", engagement_id)


def _choices_and_initial(
    engagement: Engagement, topic: ImprovementTopic | None
) -> tuple[list[tuple[int, str]], dict[str, Any]]:
    """The requirements the form offers (the latest assessment's, and those the topic has) and what it shows."""
    choices = requirement_choices(engagement)
    if topic is None:
        return choices, {}
    linked = linked_requirements(topic)
    known = {pk for pk, _label in choices}
    choices += [(pk, label) for pk, label in linked if pk not in known]
    initial = {
        "expected_version": topic.version,
        "title": topic.tr.title,
        "description": topic.tr.description,
        "owner": topic.owner_id,
        "due_date": topic.due_date,
        "status": topic.status,
        "ratings": [pk for pk, _label in linked],
    }
    return choices, initial


def _save(request: SignedInRequest, engagement: Engagement, topic: ImprovementTopic | None, form: TopicForm) -> Any:
    """Create the topic, or change it with what the form sends: a text left as shown (in the reader's
    language) is not an edit of the topic's own text."""
    data = form.cleaned_data
    if topic is None:
        return services.topic_create(
            engagement=engagement,
            actor=request.user,
            title=data["title"],
            description=data["description"],
            ratings=ratings_named(engagement, data["ratings"]),
            owner=person_named(engagement, data["owner"]),
            due_date=data["due_date"],
            status=data["status"],
        )
    sent = {
        "title": None if data["title"] == form.initial["title"] else data["title"],
        "description": None if _same_text(data["description"], form.initial["description"]) else data["description"],
        **{name: data[name] for name in ("owner", "due_date", "status", "ratings")},
    }
    return services.topic_update(
        topic=topic,
        actor=request.user,
        expected_version=data["expected_version"] or 0,
        **topic_changes(engagement, sent),
    )


@login_required
def topic_edit(request: SignedInRequest, engagement_id: int, topic_id: int | None = None) -> HttpResponse:
    if topic_id:
        topic, membership = topic_for(request.user, engagement_id, topic_id, role=Role.EDITOR)
        engagement = topic.engagement
    else:
        topic = None
        engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating_choices, initial = _choices_and_initial(engagement, topic)
    form = TopicForm(request.POST or None, initial=initial, people=people_by_name(engagement), ratings=rating_choices)
    conflict = False
    # "Find" in the picker (without JavaScript) shows the page again with the search results to tick.
    finding = request.method == "POST" and "find_requirements" in request.POST
    if request.method == "POST" and not finding and form.is_valid():
        saved, conflict = run_form(form, lambda: _save(request, engagement, topic, form))
        if saved is not None:
            messages.success(request, _("Topic saved."))
            return redirect("gaps:topics", engagement.pk)
    labels = dict(rating_choices)
    linked = set(initial.get("ratings", []))
    if form.is_bound:
        chosen_ids = [int(v) for v in request.POST.getlist("ratings") if v.isdigit() and int(v) in labels]
    else:
        chosen_ids = list(initial.get("ratings", []))
    query = (request.POST if form.is_bound else request.GET).get("q", "").strip()[:100]
    found, found_total = requirement_search(rating_choices, query, exclude=chosen_ids)
    split_form = None
    if topic is not None:
        split_form = SplitForm(
            ratings=[(pk, label) for pk, label in rating_choices if pk in linked],
            initial={"expected_version": topic.version},
            prefix="split",
        )
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
            links=part_links(engagement, TOPIC_KIND, [topic.pk], detailed=True).get(topic.pk, []) if topic else [],
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
def topic_merge(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    ids = [int(v) for v in request.POST.getlist("topics") if v.isdigit()][:200]
    attempt(
        request,
        lambda: services.topic_merge(topics=topics_named(engagement, ids), actor=request.user),
        lambda kept: _('Topics merged into "%(title)s".') % {"title": kept.title},
    )
    return redirect("gaps:topics", engagement.pk)


@login_required
@require_POST
def topic_split(request: SignedInRequest, engagement_id: int, topic_id: int) -> HttpResponse:
    topic, _m = topic_for(request.user, engagement_id, topic_id, role=Role.EDITOR)
    # Any of the engagement's ratings is a valid choice here: the service checks the version first, so a
    # stale page is told so, then moves only what the topic still holds.
    submitted = [int(v) for v in request.POST.getlist("split-ratings") if v.isdigit()][:1000]
    form = SplitForm(request.POST, ratings=requirement_labels(topic.engagement, submitted), prefix="split")
    if not form.is_valid():
        messages.error(request, _("Give the new topic a title and choose the requirements to move."))
        return redirect("gaps:topic_edit", engagement_id, topic.pk)
    data = form.cleaned_data
    new = attempt(
        request,
        lambda: services.topic_split(
            topic=topic,
            actor=request.user,
            expected_version=data["expected_version"],
            ratings=ratings_named(topic.engagement, data["ratings"]),
            title=data["title"],
        ),
        lambda made: _('Topic "%(title)s" split off.') % {"title": made.title},
    )
    return redirect("gaps:topic_edit", engagement_id, new.pk if new else topic.pk)


@login_required
@require_POST
def topic_delete(request: SignedInRequest, engagement_id: int, topic_id: int) -> HttpResponse:
    topic, _m = topic_for(request.user, engagement_id, topic_id, role=Role.EDITOR)
    attempt(request, lambda: services.topic_delete(topic=topic, actor=request.user), _("Topic deleted."))
    return redirect("gaps:topics", engagement_id)
