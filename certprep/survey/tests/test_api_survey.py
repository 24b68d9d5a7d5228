"""The survey API: questionnaires and questions, campaigns and their tracking, respondents and their links,
responses and answers; who may do what, stale versions and bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certprep.api import api
from certprep.core.tests.mail_queue import mail_drain
from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import UserFactory
from certprep.survey.models import Answer, Question, Questionnaire, Respondent, Response
from certprep.survey.services.answers import answer_save, respondent_by_token
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def base(engagement_id):
    return f"/api/v1/engagements/{engagement_id}"


def call(client, method, url, headers, body=None):
    if method in ("post", "patch"):
        return getattr(client, method)(url, body or {}, content_type="application/json", **headers)
    return getattr(client, method)(url, **headers)


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def member(engagement, owner, api_token, username, role):
    user = UserFactory(username=username)
    engagement_services.member_add(engagement=engagement, actor=owner, user=user, role=role)
    return auth(api_token(user))


@pytest.fixture
def owner_auth(owner, api_token):
    return auth(api_token(owner))


@pytest.fixture
def editor_auth(engagement, owner, api_token):
    return member(engagement, owner, api_token, "eddie", "editor")


@pytest.fixture
def viewer_auth(engagement, owner, api_token):
    return member(engagement, owner, api_token, "viv", "viewer")


@pytest.fixture
def outsider_auth(outsider, api_token):
    return auth(api_token(outsider))


@pytest.fixture
def people(engagement):
    return {
        "ceo": person(engagement, "Chen Wei", roles=["top_management"], department="Board"),
        "inc": person(engagement, "Li Na", roles=["process_manager"], processes=["incident"]),
        "nomail": person(engagement, "Zhao Lei", roles=["process_coordinator"], processes=["incident"], email=""),
    }


def _incident_response(name="Li Na"):
    return Response.objects.select_related("respondent", "questionnaire").get(
        respondent__person__name=name, questionnaire__key="process-incident"
    )


def _save(response, key, raw):
    question = Question.objects.get(questionnaire=response.questionnaire, key=key)
    return answer_save(
        respondent=response.respondent, response=response, question=question, raw=raw, expected_version=None
    ).answer


@pytest.fixture
def survey(engagement, owner, people, catalogue):
    """A sent campaign with one saved answer; returns the id of one object of every kind the API addresses."""
    campaign, _tokens = sent_campaign(engagement, owner)
    response = _incident_response()
    answer = _save(response, "definition", "We log every call in the tool.")
    questionnaire = response.questionnaire
    return {
        "engagement_id": engagement.pk,
        "questionnaire_id": questionnaire.pk,
        "question_id": questionnaire.questions.order_by("-order")[0].pk,
        "campaign_id": campaign.pk,
        "respondent_id": response.respondent_id,
        "response_id": response.pk,
        "answer_id": answer.pk,
    }


# (method, path under /api/v1/engagements, body, least role)
ROUTES = [
    ("get", "/{engagement_id}/questionnaires", None, "viewer"),
    ("post", "/{engagement_id}/questionnaires", None, "editor"),
    ("get", "/{engagement_id}/questionnaires/{questionnaire_id}", None, "viewer"),
    ("patch", "/{engagement_id}/questionnaires/{questionnaire_id}", {"version": 1, "title": "Incidents"}, "editor"),
    ("get", "/{engagement_id}/questionnaires/{questionnaire_id}/questions", None, "viewer"),
    (
        "post",
        "/{engagement_id}/questionnaires/{questionnaire_id}/questions",
        {"kind": "short_text", "text": "Who?"},
        "editor",
    ),
    ("get", "/{engagement_id}/questions/{question_id}", None, "viewer"),
    ("patch", "/{engagement_id}/questions/{question_id}", {"version": 1, "text": "Reworded"}, "editor"),
    ("delete", "/{engagement_id}/questions/{question_id}", None, "editor"),
    ("post", "/{engagement_id}/questions/{question_id}/move", {"direction": "up"}, "editor"),
    ("get", "/{engagement_id}/campaigns", None, "viewer"),
    (
        "post",
        "/{engagement_id}/campaigns",
        {"name": "Autumn", "deadline": "2099-01-01", "questionnaire_ids": [1]},
        "owner",
    ),
    ("get", "/{engagement_id}/campaigns/{campaign_id}", None, "viewer"),
    ("patch", "/{engagement_id}/campaigns/{campaign_id}", {"version": 1, "name": "Renamed"}, "owner"),
    ("post", "/{engagement_id}/campaigns/{campaign_id}/send", None, "owner"),
    ("post", "/{engagement_id}/campaigns/{campaign_id}/close", None, "owner"),
    ("post", "/{engagement_id}/campaigns/{campaign_id}/remind", None, "owner"),
    ("get", "/{engagement_id}/campaigns/{campaign_id}/respondents", None, "viewer"),
    ("post", "/{engagement_id}/respondents/{respondent_id}/link", {"action": "show"}, "owner"),
    ("get", "/{engagement_id}/responses/{response_id}", None, "viewer"),
    ("post", "/{engagement_id}/responses/{response_id}/reopen", None, "owner"),
    ("get", "/{engagement_id}/answers", None, "viewer"),
    (
        "post",
        "/{engagement_id}/answers/{answer_id}/flag",
        {"flagged": True, "note": "Ask", "seen_flagged": False, "seen_note": ""},
        "editor",
    ),
]
ROUTE_IDS = [f"{m} {p}" for m, p, _b, _r in ROUTES]


def test_every_route_is_documented_with_its_error_responses():
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    for method, route, _body, role in ROUTES:
        codes = {int(code) for code in paths[f"/engagements{route}"][method]["responses"]}
        assert 404 in codes, (method, route)
        assert any(200 <= code < 300 for code in codes), (method, route)
        if role != "viewer":
            assert {400, 403} <= codes, (method, route)
        if method == "patch":
            assert 409 in codes, route
        names = {p["name"] for p in paths[f"/engagements{route}"][method].get("parameters", []) if p["in"] == "path"}
        assert names <= {
            "engagement_id",
            "questionnaire_id",
            "question_id",
            "campaign_id",
            "respondent_id",
            "response_id",
            "answer_id",
        }
    respondent = api.get_openapi_schema(path_prefix="")["components"]["schemas"]["RespondentOut"]["properties"]
    assert not {"link", "token", "token_hash", "token_nonce"} & set(respondent)


@pytest.mark.parametrize(("method", "route", "body", "_role"), ROUTES, ids=ROUTE_IDS)
def test_an_outsider_gets_404_on_every_route(client, survey, outsider_auth, method, route, body, _role):
    response = call(client, method, "/api/v1/engagements" + route.format(**survey), outsider_auth, body)
    assert response.status_code == 404, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "route", "body", "_role"),
    [r for r in ROUTES if r[3] != "viewer"],
    ids=[i for i, r in zip(ROUTE_IDS, ROUTES, strict=True) if r[3] != "viewer"],
)
def test_a_viewer_gets_403_on_every_write(client, survey, viewer_auth, method, route, body, _role):
    response = call(client, method, "/api/v1/engagements" + route.format(**survey), viewer_auth, body)
    assert response.status_code == 403, response.content


@pytest.mark.parametrize(
    ("method", "route", "body", "_role"),
    [r for r in ROUTES if r[3] == "owner"],
    ids=[i for i, r in zip(ROUTE_IDS, ROUTES, strict=True) if r[3] == "owner"],
)
def test_an_editor_gets_403_on_what_only_owners_do(client, survey, editor_auth, method, route, body, _role):
    response = call(client, method, "/api/v1/engagements" + route.format(**survey), editor_auth, body)
    assert response.status_code == 403, response.content


def test_a_viewer_reads_everything(client, survey, viewer_auth):
    for method, route, _body, role in ROUTES:
        if role == "viewer":
            response = call(client, method, "/api/v1/engagements" + route.format(**survey), viewer_auth)
            assert response.status_code == 200, (route, response.content)


def test_objects_of_another_engagement_are_404_even_for_an_owner(client, survey, outsider, owner_auth):
    foreign_engagement = outsider.memberships.get().engagement
    person(foreign_engagement, "Ola Nordmann", roles=["process_manager"], processes=["incident"])
    sent_campaign(foreign_engagement, outsider)
    response = Response.objects.get(
        respondent__campaign__engagement=foreign_engagement, questionnaire__key="process-incident"
    )
    foreign = {
        "engagement_id": survey["engagement_id"],  # the caller's own engagement, foreign objects
        "questionnaire_id": response.questionnaire_id,
        "question_id": response.questionnaire.questions.order_by("order")[0].pk,
        "campaign_id": response.respondent.campaign_id,
        "respondent_id": response.respondent_id,
        "response_id": response.pk,
        "answer_id": _save(response, "definition", "Theirs").pk,
    }
    for method, route, body, _role in ROUTES:
        if "{engagement_id}/" in route and route.count("{") > 1:
            result = call(client, method, "/api/v1/engagements" + route.format(**foreign), owner_auth, body)
            assert result.status_code == 404, (method, route, result.content)


def test_the_full_flow_from_templates_to_a_reopened_response(client, engagement, owner, people, catalogue, owner_auth):
    url = base(engagement.pk)

    # Copy the shipped questionnaires; repeating creates nothing.
    copied = client.post(f"{url}/questionnaires", **owner_auth)
    assert copied.status_code == 201, copied.content
    assert len(copied.json()) == 14
    again = client.post(f"{url}/questionnaires", **owner_auth)
    assert again.status_code == 200
    assert again.json() == []
    listing = client.get(f"{url}/questionnaires", **owner_auth).json()
    incident = next(q for q in listing if q["key"] == "process-incident")
    assert incident["process_code"] == "incident"
    assert incident["question_count"] >= 10

    # Edit a question of the incident questionnaire.
    questions = client.get(f"{url}/questionnaires/{incident['id']}/questions", **owner_auth).json()
    priority = next(q for q in questions if q["key"] == "priority-model")
    assert priority["kind"] == "single_choice"
    assert len(priority["options"]) >= 2
    assert set(priority["options"][0]) == {"value", "label"}
    assert "zh-hans" in priority["translations"]
    edited = client.patch(
        f"{url}/questions/{priority['id']}",
        {"version": priority["version"], "text": "Who sets the priority of an incident?", "required": True},
        content_type="application/json",
        **owner_auth,
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["text"] == "Who sets the priority of an incident?"
    assert edited.json()["required"] is True
    assert edited.json()["version"] == priority["version"] + 1
    assert edited.json()["options"] == priority["options"]
    assert "text" not in edited.json()["translations"].get("zh-hans", {})  # a reworded text drops its translation

    # Create a campaign over the management and incident questionnaires.
    management = next(q for q in listing if q["key"] == "management-system")
    created = client.post(
        f"{url}/campaigns",
        {"name": "Spring survey", "deadline": in_days(30), "questionnaire_ids": [management["id"], incident["id"]]},
        content_type="application/json",
        **owner_auth,
    )
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert campaign["status"] == "draft"
    assert campaign["deadline_warning"] == ""
    assert campaign["respondent_count"] == 3
    assert campaign["response_count"] == 3
    assert campaign["questionnaire_ids"] == sorted([management["id"], incident["id"]])
    mail_drain()
    assert len(mail.outbox) == 0
    curl = f"{url}/campaigns/{campaign['id']}"

    # Respondents exist before sending, but links only work once the campaign is sent.
    li_na = Respondent.objects.get(campaign_id=campaign["id"], person__name="Li Na")
    early = client.post(
        f"{url}/respondents/{li_na.pk}/link", {"action": "show"}, content_type="application/json", **owner_auth
    )
    assert early.status_code == 400

    # Send.
    sent = client.post(f"{curl}/send", **owner_auth)
    assert sent.status_code == 200, sent.content
    assert sent.json()["sent"] == 2  # Zhao Lei has no e-mail address
    links = sent.json()["links"]
    assert set(links) == {str(r.pk) for r in Respondent.objects.filter(campaign_id=campaign["id"])}
    assert client.post(f"{curl}/send", **owner_auth).status_code == 400  # only once

    # List respondents: progress per questionnaire, never the link.
    respondents = client.get(f"{curl}/respondents", **owner_auth)
    assert respondents.status_code == 200
    page = respondents.json()
    assert page["count"] == 3
    assert [r["person"]["name"] for r in page["items"]] == ["Chen Wei", "Li Na", "Zhao Lei"]
    li_row = page["items"][1]
    assert li_row["status"] == "not_started"
    assert li_row["revoked"] is False
    assert li_row["total"] == 1
    assert [(r["questionnaire_key"], r["status"]) for r in li_row["responses"]] == [("process-incident", "not_started")]
    body = respondents.content.decode()
    for link in links.values():
        assert link.rsplit("/", 2)[-2] not in body
    assert "token" not in body

    # Show, re-issue and revoke Li Na's link.
    link_url = f"{url}/respondents/{li_na.pk}/link"
    shown = client.post(link_url, {"action": "show"}, content_type="application/json", **owner_auth)
    assert shown.status_code == 200
    assert shown.json()["link"] == links[str(li_na.pk)]
    old_token = shown.json()["link"].rstrip("/").rsplit("/", 1)[-1]
    assert respondent_by_token(old_token) == li_na
    reissued = client.post(link_url, {"action": "reissue", "send": True}, content_type="application/json", **owner_auth)
    assert reissued.status_code == 200
    new_link = reissued.json()["link"]
    new_token = new_link.rstrip("/").rsplit("/", 1)[-1]
    assert new_link != shown.json()["link"]
    assert respondent_by_token(old_token) is None
    assert respondent_by_token(new_token) == li_na
    mail_drain()
    assert new_link in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["Li Na <li.na@client-a.example>"]
    revoked = client.post(link_url, {"action": "revoke"}, content_type="application/json", **owner_auth)
    assert revoked.status_code == 200
    assert revoked.json() == {"link": None, "revoked_at": revoked.json()["revoked_at"]}
    assert revoked.json()["revoked_at"]
    assert respondent_by_token(new_token) is None
    assert client.post(link_url, {"action": "show"}, content_type="application/json", **owner_auth).status_code == 400
    revoked_row = client.get(f"{curl}/respondents?q=Li%20Na", **owner_auth).json()["items"]
    assert [r["revoked"] for r in revoked_row] == [True]
    client.post(link_url, {"action": "reissue"}, content_type="application/json", **owner_auth)

    # Tracking figures change once Li Na answers.
    before = client.get(curl, **owner_auth).json()
    assert before["tracking"]["overall"] == {
        "key": "",
        "label": "",
        "total": 3,
        "started": 0,
        "submitted": 0,
        "percent": 0,
        "started_percent": 0,
    }
    assert before["tracking"]["not_started"] == 3
    response = _incident_response()
    answer = _save(response, "definition", "We log every call in the tool.")
    _save(response, "priority-model", "impact-urgency")
    after = client.get(curl, **owner_auth).json()
    assert after["tracking"]["overall"]["started"] == 1
    assert after["tracking"]["not_started"] == 2
    by_process = {r["key"]: r for r in after["tracking"]["by_process"]}
    assert by_process["incident"]["started"] == 1
    assert by_process["incident"]["total"] == 2
    by_questionnaire = {r["key"]: r for r in after["tracking"]["by_questionnaire"]}
    assert by_questionnaire[str(incident["id"])]["started_percent"] == 50
    assert {r["label"] for r in after["tracking"]["by_department"]} == {"Board", "IT Operations"}
    assert client.get(f"{curl}/respondents?status=in_progress", **owner_auth).json()["count"] == 1

    # Read the response, flag an answer, find it in the analysis list.
    sheet = client.get(f"{url}/responses/{response.pk}", **owner_auth)
    assert sheet.status_code == 200
    data = sheet.json()
    assert data["person"]["name"] == "Li Na"
    assert data["status"] == "in_progress"
    assert data["answered"] == 2
    items = {i["question"]["key"]: i for i in data["questions"]}
    assert items["definition"]["value"] == "We log every call in the tool."
    assert items["definition"]["answer_id"] == answer.pk
    assert items["priority-model"]["text"] == "An impact and urgency matrix with defined levels"
    assert items["procedure-file"]["attachments"] == []
    assert items["procedure-file"]["answer_id"] is None
    flag = client.post(
        f"{url}/answers/{answer.pk}/flag",
        {"flagged": True, "note": "How are calls logged at night?", "seen_flagged": False, "seen_note": ""},
        content_type="application/json", **owner_auth,
    )  # fmt: skip
    assert flag.status_code == 200
    assert flag.json()["flagged"] is True
    flagged = client.get(f"{url}/answers?flagged=true", **owner_auth).json()
    assert [(a["question_key"], a["respondent"], a["flag_note"]) for a in flagged["items"]] == [
        ("definition", "Li Na", "How are calls logged at night?")
    ]
    every = client.get(f"{url}/answers?process=incident", **owner_auth).json()
    assert {a["question_key"]: a["text"] for a in every["items"]} == {
        "definition": "We log every call in the tool.",
        "priority-model": "An impact and urgency matrix with defined levels",
    }

    # Submitted, then reopened by the owner.
    Response.objects.filter(pk=response.pk).update(status="submitted", submitted_at=timezone.now())
    assert client.get(curl, **owner_auth).json()["tracking"]["overall"]["submitted"] == 1
    reopened = client.post(f"{url}/responses/{response.pk}/reopen", **owner_auth)
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == "in_progress"
    assert reopened.json()["reopened_at"]
    assert client.post(f"{url}/responses/{response.pk}/reopen", **owner_auth).status_code == 400

    # Remind, then close.
    assert client.post(f"{curl}/remind", **owner_auth).json() == {"count": 2}
    closed = client.post(f"{curl}/close", **owner_auth)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert client.post(f"{curl}/remind", **owner_auth).status_code == 400
    assert client.get(f"{url}/campaigns", **owner_auth).json()[0]["status"] == "closed"


def test_questions_are_added_moved_and_removed(client, engagement, owner, catalogue, editor_auth):
    client.post(f"{base(engagement.pk)}/questionnaires", **editor_auth)
    questionnaire = Questionnaire.objects.get(engagement=engagement, key="process-change")
    url = f"{base(engagement.pk)}/questionnaires/{questionnaire.pk}/questions"
    added = client.post(
        url,
        {"kind": "multiple_choice", "text": "Which changes need approval?", "section": "Approval",
         "options": [{"label": "Standard"}, {"value": "normal", "label": "Normal"}, {"label": "Emergency"}]},
        content_type="application/json", **editor_auth,
    )  # fmt: skip
    assert added.status_code == 201, added.content
    question = added.json()
    assert question["options"] == [
        {"value": "standard", "label": "Standard"},
        {"value": "normal", "label": "Normal"},
        {"value": "emergency", "label": "Emergency"},
    ]
    assert [q["id"] for q in client.get(url, **editor_auth).json()][-1] == question["id"]
    moved = client.post(
        f"{base(engagement.pk)}/questions/{question['id']}/move",
        {"direction": "up"},
        content_type="application/json",
        **editor_auth,
    )
    assert moved.status_code == 200
    assert [q["id"] for q in moved.json()][-2] == question["id"]
    assert (
        client.post(
            f"{base(engagement.pk)}/questions/{question['id']}/move",
            {"direction": "sideways"},
            content_type="application/json",
            **editor_auth,
        ).status_code
        == 422
    )
    removed = client.delete(f"{base(engagement.pk)}/questions/{question['id']}", **editor_auth)
    assert removed.status_code == 204
    assert client.get(f"{base(engagement.pk)}/questions/{question['id']}", **editor_auth).status_code == 404


def test_a_question_with_answers_cannot_be_removed_or_change_type(client, survey, owner_auth):
    url = f"{base(survey['engagement_id'])}/questions/{Answer.objects.get(pk=survey['answer_id']).question_id}"
    assert client.delete(url, **owner_auth).status_code == 400
    version = client.get(url, **owner_auth).json()["version"]
    changed = client.patch(
        url, {"version": version, "kind": "short_text"}, content_type="application/json", **owner_auth
    )
    assert changed.status_code == 400
    assert changed.json()["field"] == "kind"


def test_stale_versions_get_409_and_change_nothing(client, survey, owner_auth):
    url = base(survey["engagement_id"])
    for route, body in [
        (f"{url}/questionnaires/{survey['questionnaire_id']}", {"title": "Incidents"}),
        (f"{url}/questions/{survey['question_id']}", {"text": "Reworded"}),
        (f"{url}/campaigns/{survey['campaign_id']}", {"name": "Renamed"}),
    ]:
        current = client.get(route, **owner_auth).json()
        fresh = client.patch(
            route, {**body, "version": current["version"]}, content_type="application/json", **owner_auth
        )
        assert fresh.status_code == 200, (route, fresh.content)
        assert fresh.json()["version"] == current["version"] + 1
        stale = client.patch(
            route, {**body, "version": current["version"]}, content_type="application/json", **owner_auth
        )
        assert stale.status_code == 409, (route, stale.content)
        assert "Someone else changed this" in stale.json()["detail"]
        assert client.get(route, **owner_auth).json()["version"] == current["version"] + 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "single_choice", "text": "Pick one", "options": [{"label": "Only"}]}, "options"),
        ({"kind": "multiple_choice", "text": "Pick some", "options": []}, "options"),
        ({"kind": "table", "text": "List them", "columns": []}, "columns"),
        (
            {
                "kind": "single_choice",
                "text": "Pick",
                "options": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}],
            },
            "options",
        ),
        (
            {"kind": "single_choice", "text": "Pick", "options": [{"value": "a", "label": ""}, {"label": "B"}]},
            "options",
        ),
        ({"kind": "short_text", "text": "   "}, "text"),
    ],
)
def test_bad_questions_get_400_with_the_field(client, survey, editor_auth, body, field):
    url = f"{base(survey['engagement_id'])}/questionnaires/{survey['questionnaire_id']}/questions"
    count = Question.objects.count()
    response = client.post(url, body, content_type="application/json", **editor_auth)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert Question.objects.count() == count


def test_bad_campaigns_get_400(client, engagement, survey, owner_auth, outsider):
    url = f"{base(engagement.pk)}/campaigns"
    questionnaire_id = survey["questionnaire_id"]
    past = client.post(
        url,
        {"name": "Late", "deadline": in_days(-1), "questionnaire_ids": [questionnaire_id]},
        content_type="application/json",
        **owner_auth,
    )
    assert past.status_code == 400
    assert past.json()["field"] == "deadline"
    foreign = Questionnaire.objects.create(
        engagement=outsider.memberships.get().engagement, key="theirs", kind="management", title="Theirs"
    )
    mixed = client.post(
        url, {"name": "Mixed", "deadline": in_days(30), "questionnaire_ids": [questionnaire_id, foreign.pk]},
        content_type="application/json", **owner_auth,
    )  # fmt: skip
    assert mixed.status_code == 400
    assert mixed.json()["field"] == "questionnaire_ids"
    nobody = client.post(
        url, {"name": "Nobody", "deadline": in_days(30), "questionnaire_ids": [questionnaire_id],
              "departments": ["Nowhere"]},
        content_type="application/json", **owner_auth,
    )  # fmt: skip
    assert nobody.status_code == 400
    short = client.post(
        url,
        {"name": "Rushed", "deadline": in_days(1), "questionnaire_ids": [questionnaire_id]},
        content_type="application/json",
        **owner_auth,
    )
    assert short.status_code == 201
    assert "working days to prepare" in short.json()["deadline_warning"]
    assert (
        client.get(f"{url}/{short.json()['id']}", **owner_auth).json()["deadline_warning"]
        == short.json()["deadline_warning"]
    )


def test_a_question_patch_with_one_option_for_a_choice_is_400(client, survey, editor_auth):
    question = Question.objects.get(questionnaire_id=survey["questionnaire_id"], key="priority-model")
    url = f"{base(survey['engagement_id'])}/questions/{question.pk}"
    response = client.patch(
        url,
        {"version": question.version, "options": [{"value": "only", "label": "Only"}]},
        content_type="application/json",
        **editor_auth,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "options"
    question.refresh_from_db()
    assert len(question.options) == 5
    assert question.version == 1


def test_an_editor_flags_and_unflags_an_answer(client, survey, editor_auth):
    url = f"{base(survey['engagement_id'])}/answers/{survey['answer_id']}/flag"
    seen_nothing = {"seen_flagged": False, "seen_note": ""}
    assert (
        client.post(
            url, {"flagged": True, "note": "Ask", **seen_nothing}, content_type="application/json", **editor_auth
        ).status_code
        == 200
    )
    stale = client.post(
        url, {"flagged": True, "note": "Other", **seen_nothing}, content_type="application/json", **editor_auth
    )
    assert stale.status_code == 409
    assert Answer.objects.get(pk=survey["answer_id"]).flag_note == "Ask"
    cleared = client.post(
        url,
        {"flagged": False, "note": "ignored", "seen_flagged": True, "seen_note": "Ask"},
        content_type="application/json",
        **editor_auth,
    )
    assert cleared.json() == {**cleared.json(), "flagged": False, "flag_note": ""}
    assert Answer.objects.get(pk=survey["answer_id"]).flag_note == ""


def _answer_round(engagement, owner, size, label):
    """`size` more people, sent a campaign of the incident questionnaire, each answering three questions."""
    for n in range(size):
        person(engagement, f"{label} {n}", roles=["process_manager"], processes=["incident"], email="")
    campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    people = engagement.people.filter(name__startswith=label)
    for response in Response.objects.filter(
        respondent__campaign=campaign, respondent__person__in=people
    ).select_related("respondent", "questionnaire"):
        _save(response, "definition", f"Text of {response.pk}")
        _save(response, "priority-model", "automatic")
        _save(response, "relations", ["problem", "change"])


def test_the_answers_listing_takes_the_same_queries_whatever_the_number_of_answers(
    client, engagement, owner, catalogue, owner_auth
):
    url = f"{base(engagement.pk)}/answers?limit=1000"
    client.get(url, **owner_auth)  # the token's first use records it; measure the requests after that
    counts = []
    for size in (2, 6):
        _answer_round(engagement, owner, size, f"Round {size}")
        with CaptureQueriesContext(connection) as queries:
            result = client.get(url, **owner_auth)
        assert result.status_code == 200
        counts.append((result.json()["count"], len(queries)))
        relations = [a for a in result.json()["items"] if a["question_key"] == "relations"]
        assert relations[0]["value"] == ["problem", "change"]
        assert relations[0]["text"] == "Problem management, Change management"
    assert [answers for answers, _q in counts] == [3 * 2, 3 * (2 + 6)]
    assert counts[0][1] == counts[1][1], counts


def test_the_respondents_listing_takes_the_same_queries_whatever_the_number_of_respondents(
    client, engagement, owner, catalogue, owner_auth
):
    client.get(f"{base(engagement.pk)}/campaigns", **owner_auth)  # the token's first use records it
    counts = []
    for size in (2, 6):
        for n in range(size):
            person(engagement, f"Size {size} person {n}", roles=["process_manager"], processes=["incident"], email="")
        campaign, _t = sent_campaign(engagement, owner, keys=("process-incident",))
        url = f"{base(engagement.pk)}/campaigns/{campaign.pk}/respondents"
        with CaptureQueriesContext(connection) as queries:
            result = client.get(url, **owner_auth)
        assert result.json()["count"] >= size
        counts.append(len(queries))
    assert counts[0] == counts[1]
