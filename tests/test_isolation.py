"""Walk EVERY URL pattern and EVERY API operation as a signed-in outsider: nothing of a foreign engagement
may come back. Each walk then compares what it walked with every pattern the URL resolver has (or every
operation the OpenAPI description lists) and with tests/routes.txt, the inventory of the routes certprep
answers: a route the walk missed, a route the site lost and a new route nobody listed each fail. A route
with an unknown argument fails until the argument is added to OBJECT_ARGS below, so nobody can forget it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from certprep.accounts.services import token_issue
from certprep.budget.tests.world import budget_world, tool_world
from certprep.engagements import services
from certprep.engagements.models import EngagementImport, Invitation, Membership, SuggestedInvitation
from certprep.engagements.tests.factories import UserFactory
from certprep.feasibility.tests.world_benefits import benefits_world
from certprep.gaps.tests.world import gap_world
from certprep.organization.tests.world import walk_world as organization_world
from certprep.planning.tests.audit_world import booking_world
from certprep.planning.tests.baseline_world import baseline_world
from certprep.planning.tests.feed_world import feed_world
from certprep.planning.tests.risk_world import risk_world
from certprep.planning.tests.world import plan_world
from certprep.reports.tests.world import walk_world as report_world
from certprep.survey.tests.factories import survey_world
from certprep.vendors.tests.world import walk_world

ROUTES = Path(__file__).with_name("routes.txt")
MARKERS = ("Client A preparation", "Client A Ltd", "secret-scope-marker", "alice.a@client-a.example")


@dataclass
class World:
    engagement: Any
    member: Membership
    invitation: Invitation
    framework: Any
    survey: dict[str, Any]
    gaps: dict[str, Any]


# argument name -> (is the object engagement-scoped?, how to get its value)
OBJECT_ARGS: dict[str, tuple[bool, Any]] = {
    "engagement_id": (True, lambda w: w.engagement.pk),
    "membership_id": (True, lambda w: w.member.pk),
    "member_id": (True, lambda w: w.member.pk),
    "invitation_id": (True, lambda w: w.invitation.pk),
    "framework_id": (False, lambda w: w.framework.pk),
    "lens_id": (False, lambda w: w.framework.lenses.first().pk),
    "slug": (False, lambda w: "plan"),
    "token": (False, lambda w: "not-a-real-token"),
    "questionnaire_id": (True, lambda w: w.survey["questionnaire"].pk),
    "question_id": (True, lambda w: w.survey["question"].pk),
    "person_id": (True, lambda w: w.survey["person"].pk),
    "campaign_id": (True, lambda w: w.survey["campaign"].pk),
    "respondent_id": (True, lambda w: w.survey["respondent"].pk),
    "response_id": (True, lambda w: w.survey["response"].pk),
    "answer_id": (True, lambda w: w.survey["answer"].pk),
    "attachment_id": (True, lambda w: w.survey["attachment"].pk),
    "interview_id": (True, lambda w: w.survey["interview"].pk),
    "followup_id": (True, lambda w: w.survey["followup"].pk),
    "process_code": (True, lambda w: "incident"),
    "role_id": (True, lambda w: w.survey["role"].pk),
    "activity_id": (True, lambda w: w.survey["activity"].pk),
    "assessment_id": (True, lambda w: w.gaps["assessment"].pk),
    "rating_id": (True, lambda w: w.gaps["rating"].pk),
    "evidence_id": (True, lambda w: w.gaps["evidence"].pk),
    "topic_id": (True, lambda w: w.gaps["topic"].pk),
    "item_id": (True, lambda w: w.gaps["item"].pk),
    "task_id": (True, lambda w: plan_world(w.engagement)["task"].pk),
    "dependency_id": (True, lambda w: plan_world(w.engagement)["dependency"].pk),
    "booking_id": (True, lambda w: booking_world(w.engagement).pk),
    "baseline_number": (True, lambda w: baseline_world(w.engagement).number),
    "feed_id": (True, lambda w: feed_world(w.engagement).pk),
    "run_id": (True, lambda w: risk_world(w.engagement).pk),
    "kind": (False, lambda w: "link"),
    "budget_line_id": (True, lambda w: budget_world(w.engagement).pk),
    "tool_id": (True, lambda w: tool_world(w.engagement).pk),
    "vendor_id": (True, lambda w: walk_world(w.engagement)["a"].pk),
    "auditor_id": (True, lambda w: walk_world(w.engagement)["auditor"].pk),
    "window_id": (True, lambda w: walk_world(w.engagement)["window"].pk),
    "quote_id": (True, lambda w: walk_world(w.engagement)["quote"].pk),
    "criterion_id": (True, lambda w: walk_world(w.engagement)["criterion"].pk),
    "project_member_id": (True, lambda w: organization_world(w.engagement)["sponsor"].pk),
    "series_id": (True, lambda w: organization_world(w.engagement)["series"].pk),
    "decision_id": (True, lambda w: organization_world(w.engagement)["decision"].pk),
    "approval_id": (True, lambda w: organization_world(w.engagement)["approval"].pk),
    "document": (False, lambda w: "budget"),
    "benefit_id": (True, lambda w: benefits_world(w.engagement)["benefit"].pk),
    "risk_id": (True, lambda w: benefits_world(w.engagement)["risk"].pk),
    "build_id": (True, lambda w: report_world(w.engagement)["build"].pk),
    "report_file_id": (True, lambda w: report_world(w.engagement)["file"].pk),
    "suggestion_id": (
        True,
        lambda w: (
            SuggestedInvitation.objects.get_or_create(
                engagement=w.engagement, username="sam", email="sam@client-a.example", role="viewer"
            )[0].pk
        ),
    ),
    # Another user's engagement-file import: only its requester sees it.
    "import_id": (
        True,
        lambda w: (
            EngagementImport.objects.create(
                requested_by=w.engagement.created_by, original_name="client-a.json", size=2, language="en"
            ).pk
        ),
    ),
    # Another user's API token: revoking it must answer 404 like a foreign engagement's object.
    "token_id": (True, lambda w: token_issue(user=w.member.user)[1].pk),
}


@pytest.fixture
def world(engagement, owner, catalogue):
    alice = UserFactory(username="alice", email="alice.a@client-a.example")
    member = services.member_add(engagement=engagement, actor=owner, user=alice, role="editor")
    services.member_invite(engagement=engagement, actor=owner, email="invitee@client-a.example", role="viewer")
    services.profile_update(
        profile=engagement.profile,
        actor=owner,
        expected_version=1,
        data={"scope_who": "secret-scope-marker", "scope_services": "x"},
    )
    return World(
        engagement=engagement,
        member=member,
        invitation=Invitation.objects.get(engagement=engagement),
        framework=catalogue,
        survey=survey_world(engagement, owner),
        gaps=gap_world(engagement, owner),
    )


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield (
                namespace,
                p.name,
                prefix + str(p.pattern),
                list(p.pattern.converters) or re.findall(r"<(?:\w+:)?(\w+)>", str(p.pattern)),
            )


def _public(route: str) -> str:
    """A route as the inventory writes it: from the root, arguments without their converters."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)


# The API's own pages: the description, its browsable view and the root. Its operations are walked through
# the description.
API_PAGES = ("api-root", "openapi-json", "openapi-view")


def _page_routes():
    """Every URL pattern outside the admin (staff only, its own test) and the API operations."""
    for namespace, name, route, args in _walk(get_resolver().url_patterns):
        if namespace == "admin" or namespace.startswith("admin:"):
            continue
        if namespace.split(":")[0] == "api-v1" and name not in API_PAGES:
            continue
        yield namespace, name, route, args


def _inventory(kind: str) -> Counter[str]:
    lines = (line.split(" ", 1) for line in ROUTES.read_text(encoding="utf-8").splitlines() if line.strip())
    return Counter(rest for first, rest in lines if first == kind)


def _assert_walked_everything(walked: Counter[str], every: Counter[str], kind: str) -> None:
    """The walk met every route the site has, and the site has exactly the routes of the inventory."""
    skipped = sorted((every - walked).elements())
    assert not skipped, f"the walk skipped {len(skipped)} of {sum(every.values())} {kind} routes: {skipped}"
    listed = _inventory(kind)
    lost = sorted((listed - walked).elements())
    new = sorted((walked - listed).elements())
    assert not lost, f"{ROUTES.name} lists {kind} routes the site no longer answers: {lost}"
    assert not new, f"new {kind} routes: add them to {ROUTES.name} (and their arguments to OBJECT_ARGS): {new}"


def _assert_clean(response, where):
    body = response.content.decode(errors="replace")
    for marker in MARKERS:
        assert marker not in body, f"{where} revealed {marker!r} to an outsider"


@pytest.mark.django_db
def test_every_page_hides_foreign_engagements_from_an_outsider(outsider_client, outsider, world):
    walked: Counter[str] = Counter()
    for namespace, name, route, args in _page_routes():
        assert name, f"route {route} has no name: name it so the walk can reach it"
        unknown = [a for a in args if a not in OBJECT_ARGS]
        assert not unknown, f"route {route} has arguments {unknown}: add them to OBJECT_ARGS"
        kwargs = {a: OBJECT_ARGS[a][1](world) for a in args}
        scoped = any(OBJECT_ARGS[a][0] for a in args)
        url = reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs)
        outsider_client.force_login(outsider)  # the walk passes the sign-out route too
        get = outsider_client.get(url)
        outsider_client.force_login(outsider)
        post = outsider_client.post(
            url, {"email": "x@example.com", "role": "owner", "expected_version": 1, "name": "n"}
        )
        _assert_clean(get, f"GET {url}")
        _assert_clean(post, f"POST {url}")
        if scoped:
            assert get.status_code in (404, 405), f"GET {url} answered {get.status_code}"
            # 405 comes before any lookup (a GET-only page), so it is the same for every engagement id.
            assert post.status_code in (404, 405), f"POST {url} answered {post.status_code}"
        walked[_public(route)] += 1
    every = Counter(
        _public(route)
        for _namespace, name, route, _args in _walk(get_resolver().url_patterns)
        if not route.startswith(("admin/", "api/v1/")) or name in API_PAGES
    )
    _assert_walked_everything(walked, every, "page")


@pytest.mark.django_db
def test_admin_is_closed_to_non_staff(outsider_client, world):
    response = outsider_client.get(reverse("admin:engagements_engagement_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _example(schema: dict, components: dict) -> Any:
    """A small valid value for a JSON schema, so requests pass validation and reach the access check."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].split("/")[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _example(props[k], components) for k in schema.get("required", [])}
    if kind == "array":
        return [_example(schema.get("items", {}), components) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2027-01-01"
    if schema.get("format") == "date-time":
        return "2027-01-01T10:00:00Z"
    if "@" in schema.get("pattern", ""):
        return "someone@example.com"
    return "x" * max(1, schema.get("minLength", 1))


def _operations(spec: dict) -> list[tuple[str, str, dict]]:
    """(path, method, operation) for every operation; the caller's own token last, since revoking it ends
    the walk."""
    found = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]
    return sorted(found, key=lambda row: (row[0] == "/api/v1/auth/token", row[1] == "delete"))


def _api_paths_of_the_resolver() -> set[str]:
    """The API's URL patterns as description paths, apart from the description itself and its page."""
    return {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for namespace, name, route, _args in _walk(get_resolver().url_patterns)
        if namespace == "api-v1" and name not in API_PAGES
    }


@pytest.mark.django_db
def test_every_api_route_hides_foreign_engagements_from_an_outsider(client, outsider, world, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(outsider)}"}
    spec = client.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) == _api_paths_of_the_resolver(), "an API route is missing from the description"
    components = spec.get("components", {}).get("schemas", {})
    walked: Counter[str] = Counter()
    for path, method, op in _operations(spec):
        args = re.findall(r"{(\w+)}", path)
        unknown = [a for a in args if a not in OBJECT_ARGS]
        assert not unknown, f"API route {path} has parameters {unknown}: add them to OBJECT_ARGS"
        url = path.format(**{a: OBJECT_ARGS[a][1](world) for a in args})
        scoped = any(OBJECT_ARGS[a][0] for a in args)
        body = op.get("requestBody", {}).get("content", {})
        kwargs: dict[str, Any] = {}
        if "application/json" in body:
            kwargs = {
                "data": _example(body["application/json"]["schema"], components),
                "content_type": "application/json",
            }
        elif "multipart/form-data" in body:
            from django.core.files.uploadedfile import SimpleUploadedFile

            fields = body["multipart/form-data"]["schema"].get("properties", {})
            kwargs = {"data": {name: SimpleUploadedFile("x.csv", b"Name\nx\n") for name in fields}}
        response = getattr(client, method)(url, **kwargs, **headers)
        _assert_clean(response, f"{method.upper()} {url}")
        if scoped:
            assert response.status_code == 404, (
                f"{method.upper()} {url} answered {response.status_code}: {response.content[:200]}"
            )
        elif path == "/api/v1/catalogue/frameworks" and method == "post":
            assert response.status_code in (403, 422), "only staff import frameworks"
        walked[f"{method.upper()} {path}"] += 1
    every = Counter(f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item)
    _assert_walked_everything(walked, every, "api")
