"""The resources page and API: each person's load per week from the scheduled plan, the over-allocated weeks
with the tasks causing them, a heat map that marks them with a hatch and "!" besides the colour, a query count
that does not grow with the plan, and 404 for outsiders."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from certprep.people.tests.factories import person
from certprep.planning.models import Assignment, Dependency, Plan, Task

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2027, 1, 4)


@pytest.fixture
def plan(engagement):
    """Ann at 60 % on Design and Review in the same first week (120 %), then Bob alone on Trial at 100 %."""
    plan = Plan.objects.create(engagement=engagement, start_date=MONDAY)
    ann, bob = person(engagement, "Ann Lee"), person(engagement, "Bob Ma")
    design = Task.objects.create(plan=plan, name="Design", order=1, duration_days=5)
    review = Task.objects.create(plan=plan, name="Review", order=2, duration_days=5)
    trial = Task.objects.create(plan=plan, name="Trial", order=3, duration_days=10)
    Dependency.objects.create(plan=plan, predecessor=design, successor=trial)
    Assignment.objects.create(task=design, person=ann, share=60)
    Assignment.objects.create(task=review, person=ann, share=60)
    Assignment.objects.create(task=trial, person=bob, share=100)
    return plan


def _grow(plan, engagement, count):
    first = Task.objects.filter(plan=plan).count()
    for n in range(first, first + count):
        task = Task.objects.create(plan=plan, name=f"Extra {n}", order=10 + n, duration_days=3 + n % 7)
        Assignment.objects.create(task=task, person=person(engagement, f"Person {n}"), share=50)


def test_the_page_lists_the_over_allocated_week_with_the_tasks_causing_it(owner_client, engagement, plan):
    body = owner_client.get(reverse("planning:resources", args=[engagement.pk])).content.decode()
    over = body.split('id="over-allocations"')[1].split("</section>")[0]
    assert "Ann Lee" in over
    assert "120 %" in over
    assert "48.0 h of 40.0 h" in over
    assert "Design" in over
    assert "Review" in over
    assert "Bob Ma" not in over
    # Table: Ann's first week 48 hours, marked over-allocated in text, not only by colour.
    ann = body.split('<th scope="row"><bdi>Ann Lee</bdi></th>')[1].split("</tr>")[0]
    assert '<td class="band-over"><span title="120 %">48.0 <abbr title="over-allocated">!</abbr></span>' in ann
    bob = body.split('<th scope="row"><bdi>Bob Ma</bdi></th>')[1].split("</tr>")[0]
    assert "band-over" not in bob
    assert 'title="100 %">40.0' in bob
    # Heat map: one hatched square, and the rule in words.
    assert body.count('data-band="over"') == 1
    assert "more than 100 %" in body


def test_the_page_says_when_nobody_is_assigned(owner_client, engagement):
    Plan.objects.create(engagement=engagement, start_date=MONDAY)
    body = owner_client.get(reverse("planning:resources", args=[engagement.pk])).content.decode()
    assert 'id="no-load"' in body


def test_the_page_and_api_queries_do_not_grow_with_the_plan(
    owner_client, client, owner, api_token, engagement, plan, django_assert_max_num_queries
):
    url = reverse("planning:resources", args=[engagement.pk])
    api = f"/api/v1/engagements/{engagement.pk}/plan/resources"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    _grow(plan, engagement, 3)
    owner_client.get(url)
    with django_assert_max_num_queries(14):
        assert owner_client.get(url).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(api, **headers).status_code == 200
    _grow(plan, engagement, 60)
    with django_assert_max_num_queries(14):
        assert owner_client.get(url).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(api, **headers).status_code == 200


def test_the_api_gives_each_persons_weeks_with_the_over_allocation(client, owner, api_token, engagement, plan):
    response = client.get(
        f"/api/v1/engagements/{engagement.pk}/plan/resources", HTTP_AUTHORIZATION=f"Bearer {api_token(owner)}"
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    ann = next(p for p in data["people"] if p["name"] == "Ann Lee")
    first = ann["weeks"][0]
    assert first["week"] == "2027-01-04"
    assert (first["hours"], first["capacity_hours"], first["percent"], first["over_allocated"]) == (48, 40, 120, True)
    assert sorted(t["name"] for t in first["tasks"]) == ["Design", "Review"]
    assert ann["total_hours"] == 48
    bob = next(p for p in data["people"] if p["name"] == "Bob Ma")
    assert bob["total_hours"] == 80
    assert not any(week["over_allocated"] for week in bob["weeks"])


def test_outsiders_get_404_from_the_page_and_the_api(outsider_client, outsider, client, api_token, engagement, plan):
    assert outsider_client.get(reverse("planning:resources", args=[engagement.pk])).status_code == 404
    response = client.get(
        f"/api/v1/engagements/{engagement.pk}/plan/resources", HTTP_AUTHORIZATION=f"Bearer {api_token(outsider)}"
    )
    assert response.status_code == 404


def test_the_page_reads_in_chinese(owner_client, engagement, plan):
    url = reverse("planning:resources", args=[engagement.pk])
    body = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "过度分配的周" in body
    assert "120 %（40.0 小时中的 48.0 小时）" in body
    assert "不超过 50 %" in body


def test_names_are_escaped_in_the_heat_map_and_table(owner_client, engagement, plan):
    eve = person(engagement, '<img src=x onerror="alert(1)">')
    task = Task.objects.create(plan=plan, name="<script>alert(2)</script>", order=9, duration_days=2)
    Assignment.objects.create(task=task, person=eve, share=100)
    Assignment.objects.create(task=Task.objects.get(plan=plan, name="Design"), person=eve, share=100)
    body = owner_client.get(reverse("planning:resources", args=[engagement.pk])).content.decode()
    assert "<img src=x" not in body
    assert "<script>alert(2)" not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body  # the over-allocation lists the task


def test_a_plan_of_many_weeks_is_drawn_half_a_year_at_a_time_with_links_to_the_others(owner_client, engagement, plan):
    """A task of 200 working days (40 weeks): the heat map and table show 26 weeks; "Later weeks" leads to the
    rest; the over-allocated weeks are still listed for the whole plan."""
    long = Task.objects.create(plan=plan, name="Long trial", order=4, duration_days=200)
    Assignment.objects.create(task=long, person=person(engagement, "Cai Lin"), share=50)
    url = reverse("planning:resources", args=[engagement.pk])
    first = owner_client.get(url + "?from=2027-01-04").content.decode()
    head = first.split('id="load-table"')[1].split("</thead>")[0]
    assert head.count('<th scope="col" class="week">') == 26
    assert '<time datetime="2027-01-04">' in head
    assert 'id="weeks-earlier"' not in first
    later = first.split('id="weeks-later" ')[0].rsplit('href="', 1)[1].split('"')[0]
    assert later == "?from=2027-07-05"  # 26 Mondays after 4 January 2027
    assert "Ann Lee" in first.split('id="over-allocations"')[1].split("</section>")[0]
    rest = owner_client.get(url + later).content.decode()
    rest_head = rest.split('id="load-table"')[1].split("</thead>")[0]
    # 40 weeks in all: the last window is the last 26 (from the 15th Monday), not a short one of 14.
    assert rest_head.count('<th scope="col" class="week">') == 26
    assert rest_head.index('<time datetime="2027-04-12">') < rest_head.index('<time datetime="2027-07-05">')
    assert 'id="weeks-later"' not in rest
    assert 'href="?from=2027-01-04" id="weeks-earlier"' in rest
    assert "Ann Lee" in rest.split('id="over-allocations"')[1].split("</section>")[0]  # listed on every window
    garbled = owner_client.get(url + "?from=not-a-date")
    assert garbled.status_code == 200
