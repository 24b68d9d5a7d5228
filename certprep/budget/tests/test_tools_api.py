"""Tool options through the API: listed, added, changed with the version read (409 when stale), chosen (the
budget's tool lines follow, worked by hand), deleted with ?version=, refused like the page refuses, and closed to
outsiders and viewers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certprep.budget.models import BudgetLine, ToolOption
from certprep.core.models import AuditEntry
from certprep.engagements.choices import Role
from certprep.engagements.models import Membership
from certprep.engagements.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
ADAPT = {"kind": "adapt", "name": "Adapt the service desk", "initial_cost": "30000", "yearly_cost": "4000.50"}


@pytest.fixture
def api(client, owner, api_token, engagement):
    base = f"/api/v1/engagements/{engagement.pk}/budget"

    def call(method, path="/tools", body=None, *, who=None):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(who or owner)}"}
        if body is None:
            return getattr(client, method)(base + path, **auth)
        return getattr(client, method)(base + path, body, content_type="application/json", **auth)

    return call


def test_an_option_is_added_changed_chosen_and_deleted(engagement, api):
    created = api("post", body=ADAPT | {"currency": "CNY", "note": "<b>keep</b>"})
    assert created.status_code == 201
    option = created.json()
    assert option | {"id": 0} == {
        "id": 0,
        "kind": "adapt",
        "name": "Adapt the service desk",
        "initial_cost": "30000.0000",
        "yearly_cost": "4000.5000",
        "currency": "CNY",
        "note": "<b>keep</b>",
        "chosen": False,
        "version": 1,
    }
    path = f"/tools/{option['id']}"
    changed = api("put", path, ADAPT | {"currency": "CNY", "yearly_cost": "5000", "version": 1})
    assert changed.status_code == 200
    assert (changed.json()["yearly_cost"], changed.json()["version"]) == ("5000.0000", 2)
    assert api("put", path, ADAPT | {"currency": "CNY", "version": 1}).status_code == 409

    chosen = api("post", path + "/choose", {"version": 1})
    assert chosen.status_code == 200
    assert chosen.json() == {"chosen_tool": option["id"], "settings_version": 2}
    assert api("post", path + "/choose", {"version": 1}).status_code == 409  # the settings are at version 2
    assert [o["chosen"] for o in api("get").json()] == [True]
    api("post", "/recompute", {})
    tools = BudgetLine.objects.filter(engagement=engagement, category="tools").order_by("cycle_year")
    # 30,000 once in the initial year, then 5,000 in each of the three later years.
    assert [(line.cycle_year, line.quantity * line.unit_price) for line in tools] == [
        (0, D(30000)),
        (1, D(5000)),
        (2, D(5000)),
        (3, D(5000)),
    ]

    assert api("delete", path + "?version=1").status_code == 409
    assert api("delete", path + "?version=2").status_code == 204
    assert not ToolOption.objects.filter(pk=option["id"]).exists()
    actions = set(AuditEntry.objects.filter(object_type="budget.tooloption").values_list("action", flat=True))
    assert actions == {"create", "update", "delete"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"initial_cost": "-1"}, "initial_cost"),
        ({"yearly_cost": "1e30"}, "yearly_cost"),
        ({"kind": "steal"}, "kind"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_refused_with_nothing_saved(engagement, api, change, field):
    response = api("post", body=ADAPT | {"currency": "CNY"} | change)
    assert response.status_code in (400, 422)
    assert field in response.content.decode()
    assert not ToolOption.objects.filter(engagement=engagement).exists()


def test_outsiders_get_404_and_viewers_cannot_write(engagement, api, outsider):
    option = ToolOption.objects.create(engagement=engagement, kind="buy", name="New suite", currency="CNY")
    for method, path, body in (
        ("get", "/tools", None),
        ("put", f"/tools/{option.pk}", ADAPT | {"currency": "CNY", "version": 1}),
        ("delete", f"/tools/{option.pk}", None),
        ("post", f"/tools/{option.pk}/choose", {"version": 1}),
    ):
        response = api(method, path, body, who=outsider)
        assert response.status_code == 404, (method, path)
        assert "New suite" not in response.content.decode()
    viewer = UserFactory(username="vera")
    Membership.objects.create(engagement=engagement, user=viewer, role=Role.VIEWER)
    assert api("get", who=viewer).status_code == 200
    assert api("post", body=ADAPT | {"currency": "CNY"}, who=viewer).status_code == 403
    assert api("delete", f"/tools/{option.pk}", who=viewer).status_code == 403
    assert ToolOption.objects.filter(engagement=engagement).count() == 1
