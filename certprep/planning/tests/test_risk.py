"""The schedule risk analysis as people use it: a run keeps its inputs and results and repeats from them; the
stage 1 and stage 2 audits are found (by booking or by the template's task); the page shows the percentiles,
the chance of being ready by a booked date, the critical tasks, the charts and the tasks without an estimate;
editors run, viewers read, outsiders get 404; the page's queries do not grow with the plan."""

from __future__ import annotations

import datetime
import re

import pytest
from defusedxml import ElementTree
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.gaps.tests.factories import member
from certprep.planning.models import RiskRun, Task
from certprep.planning.selectors.page import plan_page
from certprep.planning.services.audits import booking_create
from certprep.planning.services.generation import plan_generate
from certprep.planning.services.risk import risk_compute, risk_run

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def plan(catalogue, engagement, owner):
    made = plan_generate(engagement=engagement, actor=owner)
    for task in Task.objects.filter(plan=made, milestone=False, duration_days__gt=0, children__isnull=True):
        if task.origin_key != "task:book-audits":  # one task left without an estimate, for the page to list
            task.optimistic_days = max(task.duration_days * 8 // 10, 0)
            task.pessimistic_days = task.duration_days * 15 // 10 + 1
            task.save()
    return made


def _stage(plan, key):
    return Task.objects.get(plan=plan, origin_key=key)


def test_a_run_keeps_its_inputs_and_results_and_repeats_from_them(plan, owner):
    run = risk_run(plan=plan, actor=owner, iterations=2000, seed=42)
    stored = RiskRun.objects.get(pk=run.pk)
    assert [(t["kind"], t["key"]) for t in stored.inputs["targets"]] == [
        ("stage1", _stage(plan, "task:stage1").pk),
        ("stage2", _stage(plan, "task:stage2").pk),
    ]
    assert risk_compute(stored.inputs, iterations=2000, seed=42) == stored.results
    first = stored.results["targets"][0]
    dates = [datetime.date.fromisoformat(first["percentiles"][q]) for q in ("50", "80", "95")]
    assert dates == sorted(dates)
    planned = {row.task.pk: row.finish for row in plan_page(plan).rows}
    assert datetime.date.fromisoformat(first["deterministic"]) == planned[_stage(plan, "task:stage1").pk]
    assert sum(count for _f, _l, count in first["histogram"]) == 2000
    assert first["curve"][-1][1] == 1.0
    assert stored.results["critical"][0]["index"] > 0
    assert len(stored.results["drawn"]) == sum(1 for t in stored.inputs["tasks"] if t["optimistic"] is not None)
    entry = AuditEntry.objects.get(object_type="planning.riskrun")
    assert entry.changes["seed"] == [None, 42]


def test_a_booked_stage_1_is_the_target_with_the_chance_of_being_ready(plan, owner):
    late = datetime.date(2030, 6, 3)
    early = plan.start_date + datetime.timedelta(days=30)
    booking_create(plan=plan, actor=owner, kind="stage1", batch=1, date=late)
    booking_create(plan=plan, actor=owner, kind="stage2", batch=1, date=early)
    results = risk_run(plan=plan, actor=owner, iterations=1000, seed=1).results
    stage1, stage2 = results["targets"]
    assert (stage1["booked"], stage1["probability"]) == (late.isoformat(), 1.0)
    assert (stage2["booked"], stage2["probability"]) == (early.isoformat(), 0.0)
    # the percentiles say when the work allows the audit, not the booked date the milestone is pinned to
    assert datetime.date.fromisoformat(stage2["percentiles"]["50"]) > early


def test_iterations_and_seed_out_of_bounds_are_refused(plan, owner):
    with pytest.raises(ServiceError) as refused:
        risk_run(plan=plan, actor=owner, iterations=10, seed=1)
    assert refused.value.field == "iterations"
    with pytest.raises(ServiceError):
        risk_run(plan=plan, actor=owner, iterations=1000, seed=-1)
    assert not RiskRun.objects.exists()


def test_an_editor_runs_the_analysis_and_reads_the_dates_charts_and_missing_estimates(owner_client, engagement, plan):
    url = reverse("planning:risk", args=[engagement.pk])
    page = owner_client.get(url).content.decode()
    assert 'id="no-risk-run"' in page
    seed = re.search(r'name="seed" value="(\d+)"', page)
    assert seed is not None  # a random seed, shown
    response = owner_client.post(url, {"iterations": 1500, "seed": 77})
    run = RiskRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:risk_run", args=[engagement.pk, run.pk])
    body = owner_client.get(response["Location"]).content.decode()
    assert "Run of 1500 iterations, seed 77" in body
    table = body[body.index('id="risk-percentiles"') : body.index("</table>")]
    assert "Stage 1 audit" in table
    assert "Stage 2 audit" in table
    charts = re.findall(r"<svg.*?</svg>", body, flags=re.S)
    assert len(charts) == 4
    for chart in charts:
        root = ElementTree.fromstring(chart)
        assert root.get("role") == "img"
        assert root.find(f"{SVG}desc").text.startswith("P50")
    book = _stage(plan, "task:book-audits")
    assert reverse("planning:task_edit", args=[engagement.pk, book.pk]) in body
    assert "1 task keeps its duration" in body
    assert 'id="risk-critical"' in body
    zh = owner_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "年" in zh


def test_an_earlier_run_opens_from_the_list(owner_client, engagement, plan, owner):
    first = risk_run(plan=plan, actor=owner, iterations=1000, seed=5)
    risk_run(plan=plan, actor=owner, iterations=1000, seed=6)
    body = owner_client.get(reverse("planning:risk", args=[engagement.pk])).content.decode()
    assert "seed 6" in body.split('id="risk-result-title"')[1].split("</h2>")[0]
    older = reverse("planning:risk_run", args=[engagement.pk, first.pk])
    assert older in body
    opened = owner_client.get(older).content.decode()
    assert "seed 5" in opened.split('id="risk-result-title"')[1].split("</h2>")[0]


def test_a_viewer_reads_but_cannot_run(client, engagement, owner, plan):
    run = risk_run(plan=plan, actor=owner, iterations=1000, seed=5)
    client.force_login(member(engagement, owner, "victor", "viewer"))
    url = reverse("planning:risk", args=[engagement.pk])
    body = client.get(reverse("planning:risk_run", args=[engagement.pk, run.pk])).content.decode()
    assert 'id="risk-percentiles"' in body
    assert 'id="risk-form"' not in body
    assert client.post(url, {"iterations": 1000, "seed": 1}).status_code == 403
    assert RiskRun.objects.count() == 1


def test_an_outsider_gets_404_and_a_run_of_another_plan_is_not_found(
    outsider_client, outsider, engagement, plan, owner, catalogue
):
    run = risk_run(plan=plan, actor=owner, iterations=1000, seed=5)
    for url in (
        reverse("planning:risk", args=[engagement.pk]),
        reverse("planning:risk_run", args=[engagement.pk, run.pk]),
    ):
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.post(url, {"iterations": 1000, "seed": 1}).status_code == 404
    theirs = outsider.memberships.first().engagement
    plan_generate(engagement=theirs, actor=outsider)
    assert outsider_client.get(reverse("planning:risk_run", args=[theirs.pk, run.pk])).status_code == 404


def test_the_page_reads_in_the_same_number_of_queries_at_two_sizes(owner_client, engagement, plan, owner):
    risk_run(plan=plan, actor=owner, iterations=1000, seed=5)
    url = reverse("planning:risk", args=[engagement.pk])
    with CaptureQueriesContext(connection) as small:
        owner_client.get(url)
    parent = Task.objects.get(plan=plan, origin_key="stage:preparation")
    for n in range(30):
        Task.objects.create(plan=plan, parent=parent, order=5000 + n, outline_level=2, name=f"Extra {n}")
    risk_run(plan=plan, actor=owner, iterations=1000, seed=6)
    with CaptureQueriesContext(connection) as large:
        owner_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_run_too_large_for_a_request_is_refused_before_it_starts(plan, owner, monkeypatch):
    monkeypatch.setattr("certprep.planning.services.risk.MAX_WORK", 1000 * Task.objects.filter(plan=plan).count())
    risk_run(plan=plan, actor=owner, iterations=1000, seed=1)
    with pytest.raises(ServiceError, match="runs at most 1000 iterations") as refused:
        risk_run(plan=plan, actor=owner, iterations=1001, seed=1)
    assert refused.value.field == "iterations"
    assert RiskRun.objects.count() == 1
