"""The scheme's pages and API: the overview shows the ratings, the score with its arithmetic, the rule, the inputs
and the decision; a rating page shows the statements with their sources and a suggested rating; the decision page
confirms or overrides. Outsiders get 404, viewers cannot write, a stale version is refused (409 in the API), and
the overview's query count does not grow with the data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.engagements import services
from certprep.engagements.tests.factories import UserFactory
from certprep.feasibility.models import Benefit, Rating, Recommendation, Risk
from certprep.feasibility.services.ratings import rating_update
from certprep.gaps.models import Rating as GapRating
from certprep.gaps.services.assessments import assessment_create
from certprep.people.models import Person
from certprep.responsibilities.models import MatrixRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, owner, api_token):
    def call(method, path, body=None, *, who=None):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(who or owner)}"}
        base = "/api/v1/engagements"
        if body is None:
            return getattr(client, method)(base + path, **auth)
        return getattr(client, method)(base + path, body, content_type="application/json", **auth)

    return call


def _viewer(engagement, owner):
    viewer = UserFactory(username="vera")
    services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    return viewer


def test_the_overview_shows_score_arithmetic_rule_and_what_is_missing(owner_client, engagement, owner):
    rating_update(engagement=engagement, actor=owner, key="itil_foundation", expected_version=1, score=4)
    rating_update(engagement=engagement, actor=owner, key="technical", expected_version=1, score=2)
    page = owner_client.get(reverse("feasibility:overview", args=[engagement.pk])).content.decode()
    # (4 x 2 + 2 x 1) / 3 = 10 / 3 = 3.33
    assert "(4 × 2 + 2 × 1) ÷ (2 + 1) = 3.33" in page
    assert "go from 3.50; with conditions from 2.50" in page
    assert "no schedule risk run yet" in page
    assert "There is no plan yet" in page
    assert "No decision recorded yet" in page
    assert 'id="decide"' in page


def test_a_basis_rating_page_shows_statements_with_sources_and_a_suggestion(owner_client, engagement, owner, catalogue):
    services.profile_update(
        profile=engagement.profile, actor=owner, expected_version=1, data={"itil_adoption": "broad"}
    )
    page = owner_client.get(reverse("feasibility:rating", args=[engagement.pk, "itil_foundation"])).content.decode()
    assert "ITIL adoption: Broad" in page
    assert reverse("engagements:profile", args=[engagement.pk]) in page
    assert "No gap analysis yet: readiness is unknown." in page
    assert "No survey response yet" in page
    # broad = 4, and the profile names no tool = 2: (4 + 2) / 2 = 3
    assert 'Suggested rating: <span class="suggested">3</span>' in page
    assert "What 1 to 5 mean here" in page


def test_saving_a_rating_from_its_page_and_a_stale_copy_is_refused(owner_client, engagement):
    url = reverse("feasibility:rating", args=[engagement.pk, "social"])
    form = {"expected_version": 1, "score": "4", "rationale": "Staff want it", "evidence": "", "weight": "1.5"}
    assert owner_client.post(url, form).status_code == 302
    rating = Rating.objects.get(engagement=engagement, key="social")
    assert (rating.score, rating.weight, rating.rationale) == (4, Decimal("1.50"), "Staff want it")
    stale = owner_client.post(url, form | {"score": "1"})
    assert stale.status_code == 200
    assert "Someone else changed this" in stale.content.decode()
    assert Rating.objects.get(pk=rating.pk).score == 4


def test_overriding_from_the_decision_page_needs_a_rationale(owner_client, engagement):
    url = reverse("feasibility:decision", args=[engagement.pk])
    page = owner_client.get(url).content.decode()
    assert "Missing: Raise the weighted score to at least 3.50." in page
    refused = owner_client.post(url, {"expected_version": 0, "outcome": "go", "rationale": ""})
    assert "an override needs a rationale" in refused.content.decode()
    assert not Recommendation.objects.filter(engagement=engagement).exists()
    done = owner_client.post(url, {"expected_version": 0, "outcome": "go", "rationale": "The board wants it"})
    assert done.status_code == 302
    overview = owner_client.get(reverse("feasibility:overview", args=[engagement.pk])).content.decode()
    assert "overrides the proposal" in overview
    assert "The board wants it" in overview


def test_a_viewer_reads_but_cannot_write(client, engagement, owner):
    client.force_login(_viewer(engagement, owner))
    assert client.get(reverse("feasibility:overview", args=[engagement.pk])).status_code == 200
    url = reverse("feasibility:rating", args=[engagement.pk, "social"])
    assert 'id="rating-form"' not in client.get(url).content.decode()
    assert client.post(url, {"expected_version": 1, "score": "4", "weight": "1"}).status_code == 403
    decision = reverse("feasibility:decision", args=[engagement.pk])
    assert client.post(decision, {"expected_version": 0, "outcome": "go", "rationale": "x"}).status_code == 403
    assert not Rating.objects.exists()


def test_outsiders_get_404_on_pages_and_api(outsider_client, engagement, outsider, api):
    for url in (
        reverse("feasibility:overview", args=[engagement.pk]),
        reverse("feasibility:rating", args=[engagement.pk, "social"]),
        reverse("feasibility:decision", args=[engagement.pk]),
    ):
        assert outsider_client.get(url).status_code == 404
    for path in ("ratings", "weights", "proposal", "recommendation", "basis", "timeline"):
        assert api("get", f"/{engagement.pk}/feasibility/{path}", who=outsider).status_code == 404
    body = {"ratings": [{"key": "social", "version": 1, "score": 5}]}
    assert api("patch", f"/{engagement.pk}/feasibility/ratings", body, who=outsider).status_code == 404
    assert not Rating.objects.exists()


def test_the_api_writes_ratings_and_weights_with_versions_and_answers_409_when_stale(api, engagement, owner):
    e = engagement.pk
    got = api("patch", f"/{e}/feasibility/ratings", {"ratings": [{"key": "social", "version": 1, "score": 5}]})
    assert got.status_code == 200, got.content
    social = next(r for r in got.json() if r["key"] == "social")
    assert (social["score"], social["version"], social["weight"]) == (5, 2, "1.00")
    stale = api("patch", f"/{e}/feasibility/ratings", {"ratings": [{"key": "social", "version": 1, "score": 1}]})
    assert stale.status_code == 409
    weights = api("put", f"/{e}/feasibility/weights", {"weights": [{"key": "social", "weight": "3", "version": 2}]})
    assert weights.status_code == 200
    # 3 + 2 x 3 basis + 5 x 1 other dimensions = 14: social's share 3 / 14 = 21.43 %
    assert next(w for w in weights.json() if w["key"] == "social")["share"] == "21.43"
    bad = api("put", f"/{e}/feasibility/weights", {"weights": [{"key": "social", "weight": "1.005", "version": 3}]})
    assert (bad.status_code, bad.json()["field"]) == (400, "weight")
    viewer = _viewer(engagement, owner)
    body = {"ratings": [{"key": "social", "version": 3, "score": 1}]}
    assert api("patch", f"/{e}/feasibility/ratings", body, who=viewer).status_code == 403


def test_the_api_gives_the_proposal_and_records_the_decision(api, engagement):
    e = engagement.pk
    proposal = api("get", f"/{e}/feasibility/proposal").json()
    assert proposal["outcome"] == "conditional"
    assert proposal["rule"]["thresholds"]["go_score"] == "3.50"
    assert [c["criterion"] for c in proposal["criteria"]] == ["score", "lowest", "economics", "risks", "schedule"]
    assert proposal["criteria"][0]["missing"] is True
    assert api("get", f"/{e}/feasibility/recommendation").status_code == 404
    refused = api("put", f"/{e}/feasibility/recommendation", {"version": 0, "outcome": "no_go"})
    assert refused.status_code == 400
    assert refused.json()["field"] == "rationale"
    made = api("put", f"/{e}/feasibility/recommendation", {"version": 0, "outcome": "no_go", "rationale": "Too early"})
    assert made.status_code == 200
    assert (made.json()["overridden"], made.json()["version"]) == (True, 1)
    again = api("put", f"/{e}/feasibility/recommendation", {"version": 0, "outcome": "no_go", "rationale": "x"})
    assert again.status_code == 409
    timeline = api("get", f"/{e}/feasibility/timeline").json()
    assert (timeline["has_plan"], timeline["maturity"]) == (False, None)


def _grow(engagement, owner, n):
    for i in range(n):
        Benefit.objects.create(engagement=engagement, title=f"Benefit {i}", value_per_year=Decimal(1000 + i))
        Risk.objects.create(engagement=engagement, title=f"Risk {i}", likelihood=4, impact=4)
        MatrixRole.objects.create(engagement=engagement, key=f"role-{i}", name=f"Role {i}")
        Person.objects.create(engagement=engagement, name=f"Person {i}")
    assessment = assessment_create(
        engagement=engagement, actor=owner, name="Baseline", assessed_on=datetime.date(2026, 3, 1)
    )
    ids = list(GapRating.objects.filter(assessment=assessment).values_list("pk", flat=True)[: n * 3])
    GapRating.objects.filter(pk__in=ids).update(level=1)


def _queries(client, url):
    client.get(url)  # caches warmed (the lens, the catalogue)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_and_a_basis_page_take_the_same_queries_at_two_sizes(
    owner_client, engagement, owner, outsider, catalogue
):
    small = engagement
    _grow(small, owner, 1)
    large = services.engagement_create(user=owner, name="Large", organization_name="Large Ltd")
    _grow(large, owner, 15)
    for name, args in (("feasibility:overview", ()), ("feasibility:rating", ("management_risks",))):
        counts = [_queries(owner_client, reverse(name, args=[e.pk, *args])) for e in (small, large)]
        assert counts[0] == counts[1], (name, counts)
