""" "The topic shows its task": an improvement topic the plan turned into a task shows that task (name, scheduled
dates, per cent complete, a link to it in the plan) on the topic's page, and its name and progress in the topics
list; asked through certprep.core.parts, so the gap analysis never imports the plan; a fixed number of queries
whatever the number of topics and tasks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certprep.core.parts import Link, part_links
from certprep.gaps.services.topics import topic_create
from certprep.gaps.tests.factories import another_engagement
from certprep.planning.models import Task
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db

KIND = "gaps.improvementtopic"


@pytest.fixture
def linked(engagement, owner):
    world = plan_world(engagement)  # Design (5 working days from Monday 2027-01-04), then Trial
    topic = topic_create(engagement=engagement, actor=owner, title="Define the change policy")
    Task.objects.filter(pk=world["successor"].pk).update(topic=topic, percent_complete=40, name="Change <policy>")
    return topic, world


def test_the_topic_page_shows_its_task_with_dates_progress_and_link(owner_client, engagement, linked):
    topic, world = linked
    body = owner_client.get(reverse("gaps:topic_edit", args=[engagement.pk, topic.pk])).content.decode()
    section = body.split('id="topic-links"')[1].split("</section>")[0]
    plan_url = reverse("planning:plan", args=[engagement.pk])
    assert f'href="{plan_url}#task-{world["successor"].pk}"' in section
    assert "Change &lt;policy&gt;" in section
    assert "Plan task" in section
    assert "11 Jan 2027 to 22 Jan 2027" in section  # Trial follows Design's five working days
    assert "40% done" in section


def test_the_topics_list_shows_each_topics_task(owner_client, engagement, linked):
    topic, _world = linked
    other = topic_create(engagement=engagement, actor=topic.created_by, title="Unplanned topic")
    body = owner_client.get(reverse("gaps:topics", args=[engagement.pk])).content.decode()
    assert body.count('class="part-links"') == 1
    row = body.split(f'value="{topic.pk}"')[1].split("</tr>")[0]
    assert "Change &lt;policy&gt;" in row
    assert "40% done" in row
    assert "part-links" not in body.split(f'value="{other.pk}"')[1].split("</tr>")[0]


def test_the_topic_page_is_in_chinese_too(client, engagement, owner, linked):
    topic, _world = linked
    client.force_login(owner)
    body = client.get(
        reverse("gaps:topic_edit", args=[engagement.pk, topic.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    section = body.split('id="topic-links"')[1].split("</section>")[0]
    assert "计划任务" in section
    assert "已完成 40%" in section


def test_links_come_only_from_the_engagements_own_plan(engagement, owner, linked):
    topic, _world = linked
    other = another_engagement(owner, "Second")
    assert part_links(other, KIND, [topic.pk]) == {}
    found = part_links(engagement, KIND, [topic.pk], detailed=True)
    assert [link.label for link in found[topic.pk]] == ["Change <policy>"]
    assert isinstance(found[topic.pk][0], Link)
    assert part_links(engagement, "gaps.assessment", [topic.pk]) == {}


def test_topic_pages_read_the_same_number_of_queries_at_two_sizes(
    owner_client, engagement, owner, linked, django_assert_max_num_queries
):
    topic, world = linked
    page = reverse("gaps:topic_edit", args=[engagement.pk, topic.pk])
    listing = reverse("gaps:topics", args=[engagement.pk])
    with django_assert_max_num_queries(60) as small_page:
        owner_client.get(page)
    with django_assert_max_num_queries(60) as small_list:
        owner_client.get(listing)
    for n in range(15):
        more = topic_create(engagement=engagement, actor=owner, title=f"Topic {n}")
        Task.objects.create(plan=world["plan"], name=f"Task {n}", order=100 + n, topic=more)
        Task.objects.create(plan=world["plan"], name=f"Also {n}", order=200 + n, topic=topic)
    with django_assert_max_num_queries(len(small_page.captured_queries)):
        owner_client.get(page)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        body = owner_client.get(listing).content.decode()
    assert body.count('class="part-links"') == 16
