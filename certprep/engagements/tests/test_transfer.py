from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements import services
from certprep.engagements.models import Engagement, EngagementImport, Membership, SuggestedInvitation
from certprep.engagements.tasks import import_run
from certprep.engagements.tests.factories import UserFactory
from certprep.engagements.transfer import MAX_DEPTH, engagement_export, engagement_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files waiting for the import's worker go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rich_engagement(engagement, owner):
    services.profile_update(
        profile=engagement.profile,
        actor=owner,
        expected_version=1,
        data={
            "industry": "finance",
            "people_in_scope": 410,
            "sites": ["Beijing", "Tianjin"],
            "services_in_scope": ["Core banking hosting", "Service desk"],
            "scope_who": "IT Operations",
            "scope_services": "hosting and service desk",
            "itil_adoption": "broad",
            "existing_certifications": ["iso27001"],
            "notes": 'Quoted "notes" with 中文 and <tags>',
        },
    )
    services.member_add(
        engagement=engagement, actor=owner, user=UserFactory(username="qm", email="qm@a.example"), role="editor"
    )
    return engagement


def _comparable(document):
    document = dict(document)
    document.pop("exported_at")
    return document


def test_export_then_import_is_lossless(rich_engagement, owner):
    exported = engagement_export(rich_engagement)
    copy, suggested = engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert suggested == ["qm"]  # the other member is suggested, not added
    again = engagement_export(copy)
    assert again["audit"][:-1] == exported["audit"]  # the history, plus one entry for the import
    assert again["audit"][-1]["changes"]["imported_from"] == [None, "file"]
    assert again["members"] == [{"username": "olivia", "email": "olivia@client-a.example", "role": "owner"}]
    for document in (again, exported):
        document["audit"], document["members"] = [], []
    assert _comparable(again) == _comparable(exported)


def test_a_broken_file_imports_nothing_and_says_where(owner, rich_engagement):
    exported = engagement_export(rich_engagement)
    exported["profile"]["people_in_scope"] = -3
    before = Engagement.objects.count()
    with pytest.raises(ServiceError) as excinfo:
        engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert "profile.people_in_scope" in excinfo.value.message
    with pytest.raises(ServiceError) as excinfo:
        engagement_import(raw=b'{"format": "certprep.engagement/1",\n "engagement": {', actor=owner)
    assert "line 2" in excinfo.value.message
    assert Engagement.objects.count() == before


def _file_naming(rich_engagement, username, role="owner"):
    exported = engagement_export(rich_engagement)
    exported["members"] = [
        {"username": "olivia", "email": "olivia@client-a.example", "role": "owner"},
        {"username": username, "email": f"{username}@elsewhere.example", "role": role},
    ]
    return json.dumps(exported).encode()


def test_an_import_makes_nobody_a_member_but_the_importer(rich_engagement, owner):
    alice = UserFactory(username="alice", email="alice@elsewhere.example")
    copy, suggested = engagement_import(raw=_file_naming(rich_engagement, "alice"), actor=owner)
    assert suggested == ["alice"]
    assert not Membership.objects.filter(user=alice).exists()
    assert list(copy.memberships.values_list("user__username", "role")) == [("olivia", "owner")]
    suggestion = SuggestedInvitation.objects.get(engagement=copy)
    assert (suggestion.username, suggestion.email, suggestion.role) == ("alice", "alice@elsewhere.example", "owner")


def test_the_import_answers_alike_for_an_existing_and_an_unknown_user_name(owner_client, rich_engagement, tmp_path):
    UserFactory(username="alice", email="alice@elsewhere.example")

    def answers(username):
        raw = _file_naming(rich_engagement, username)
        _copy, suggested = engagement_import(raw=raw, actor=rich_engagement.created_by)
        queued = owner_client.post(reverse("engagements:import"), {"file": SimpleUploadedFile("e.json", raw)})
        import_run(EngagementImport.objects.latest("pk").pk)  # the background worker's part
        page = owner_client.get(queued["Location"]).content.decode()
        shown = [re.sub(r"\d+", "N", m) for m in re.findall(r'<li class="message [a-z]+">(.*?)</li>', page)]
        out = StringIO()
        path = tmp_path / f"{username}.json"
        path.write_bytes(raw)
        call_command("import_engagement", str(path), owner="olivia", stdout=out)
        return (
            [n.replace(username, "NAME") for n in suggested],
            shown,
            re.sub(r"\d+", "N", out.getvalue().replace(username, "NAME")),
        )

    existing, unknown = answers("alice"), answers("zed")
    assert existing == unknown
    assert "The file names N other member." in " ".join(existing[1])


def test_the_api_import_answers_alike_for_an_existing_and_an_unknown_user_name(
    client, owner, rich_engagement, api_token
):
    UserFactory(username="alice", email="alice@elsewhere.example")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}

    def answer(username):
        upload = SimpleUploadedFile("e.json", _file_naming(rich_engagement, username))
        response = client.post("/api/v1/engagements/import", {"file": upload}, **headers)
        assert response.status_code == 202
        import_run(response.json()["id"])  # the background worker's part
        body = client.get(response.json()["url"], **headers).json()
        for varying in ("id", "url", "created", "engagement_id"):
            body.pop(varying)
        return json.loads(json.dumps(body).replace(username, "NAME"))

    assert answer("alice") == answer("zed")


def test_an_import_links_no_other_account_by_name(rich_engagement, owner):
    from certprep.survey.models import Interview

    qm = get_user_model().objects.get(username="qm")
    Interview.objects.create(
        engagement=rich_engagement, title="Incident walk-through", starts_at=timezone.now(), interviewer=qm
    )
    Interview.objects.create(
        engagement=rich_engagement, title="Own interview", starts_at=timezone.now(), interviewer=owner
    )
    copy, _suggested = engagement_import(raw=json.dumps(engagement_export(rich_engagement)).encode(), actor=owner)
    interviewers = dict(Interview.objects.filter(engagement=copy).values_list("title", "interviewer__username"))
    assert interviewers == {"Incident walk-through": None, "Own interview": "olivia"}


def test_imported_history_is_marked_and_keeps_the_original_actor_as_text(owner_client, rich_engagement, owner):
    copy, _suggested = engagement_import(raw=json.dumps(engagement_export(rich_engagement)).encode(), actor=owner)
    history = AuditEntry.objects.filter(engagement=copy, imported=True)
    assert history.count() == AuditEntry.objects.filter(engagement=rich_engagement).count()
    assert set(history.values_list("actor", flat=True)) == {None}
    assert set(history.values_list("actor_label", flat=True)) == {"olivia"}
    own = AuditEntry.objects.get(engagement=copy, imported=False)  # the import itself, by the importer
    assert own.actor == owner
    assert own.changes["suggested_invitations"] == [None, 1]
    body = owner_client.get(reverse("engagements:audit", args=[copy.pk])).content.decode()
    assert body.count("(imported)") == history.count()


def test_deeply_nested_json_is_refused_with_the_limit_named(owner_client, owner, client, api_token):
    raw = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(ServiceError) as excinfo:
        engagement_import(raw=raw, actor=owner)
    assert "more than 64 levels deep" in excinfo.value.message
    page = owner_client.post(reverse("engagements:import"), {"file": SimpleUploadedFile("deep.json", raw)})
    assert page.status_code == 200
    assert "more than 64 levels deep" in page.content.decode()
    unclosed = owner_client.post(
        reverse("engagements:import"), {"file": SimpleUploadedFile("deep.json", b'{"a": ' + b"[" * 100_000)}
    )
    assert unclosed.status_code == 200
    assert "more than 64 levels deep" in unclosed.content.decode()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    api = client.post("/api/v1/engagements/import", {"file": SimpleUploadedFile("deep.json", raw)}, **headers)
    assert api.status_code == 400
    assert "more than 64 levels deep" in api.json()["detail"]
    assert not Engagement.objects.filter(memberships__user=owner).exclude(name="Client A preparation").exists()


def test_a_file_of_millions_of_shallow_lists_is_refused_before_it_is_built(owner):
    """Nesting just under the limit repeated over 50 MB would build tens of millions of lists (gigabytes)."""
    raw = b"[" + b",".join([b"[[[[]]]]"] * 200_000) + b"]"
    with pytest.raises(ServiceError) as excinfo:
        engagement_import(raw=raw, actor=owner)
    assert (
        excinfo.value.message == "The file holds more than 500,000 lists and objects; an engagement export never does."
    )


def test_brackets_inside_texts_do_not_count_as_nesting(rich_engagement, owner):
    exported = engagement_export(rich_engagement)
    exported["profile"]["notes"] = "[" * 5000 + '\\" {{{ \\' + "]" * 10
    copy, _suggested = engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert type(copy.profile).objects.get(engagement=copy).notes == exported["profile"]["notes"]


def test_an_export_nests_far_less_than_the_limit(rich_engagement):
    def depth(value):
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
        return 1 + max((depth(c) for c in children), default=0) if isinstance(value, (dict, list)) else 0

    assert depth(engagement_export(rich_engagement)) <= 8 < MAX_DEPTH


def test_export_and_import_through_the_pages(owner_client, rich_engagement):
    response = owner_client.get(reverse("engagements:export", args=[rich_engagement.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    upload = SimpleUploadedFile("e.json", response.content, content_type="application/json")
    queued = owner_client.post(reverse("engagements:import"), {"file": upload})
    import_run(EngagementImport.objects.get().pk)  # the background worker's part
    assert "Engagement imported" in owner_client.get(queued["Location"]).content.decode()
    assert Engagement.objects.filter(name="Client A preparation").count() == 2


def test_a_viewer_cannot_export(client, rich_engagement, owner):
    viewer = UserFactory(username="viewer9")
    services.member_add(engagement=rich_engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    assert client.get(reverse("engagements:export", args=[rich_engagement.pk])).status_code == 403


def test_export_and_import_through_the_api(client, owner, rich_engagement, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    exported = client.get(f"/api/v1/engagements/{rich_engagement.pk}/export", **headers).json()
    assert exported["profile"]["people_in_scope"] == 410
    upload = SimpleUploadedFile("e.json", json.dumps(exported).encode())
    response = client.post("/api/v1/engagements/import", {"file": upload}, **headers)
    assert response.status_code == 202
    import_run(response.json()["id"])  # the background worker's part
    done = client.get(response.json()["url"], **headers).json()
    assert done["status"] == "done"
    assert client.get(f"/api/v1/engagements/{done['engagement_id']}", **headers).json()["my_role"] == "owner"


def test_the_commands_round_trip(tmp_path, rich_engagement, owner):
    path = tmp_path / "e.json"
    call_command("export_engagement", rich_engagement.pk, output=str(path), verbosity=0)
    call_command("import_engagement", str(path), owner="olivia", verbosity=0)
    assert Engagement.objects.filter(name="Client A preparation").count() == 2
    path.write_text("{}")
    with pytest.raises(CommandError):
        call_command("import_engagement", str(path), owner="olivia")


def test_an_unknown_choice_in_the_file_is_refused(rich_engagement, owner):
    exported = engagement_export(rich_engagement)
    exported["profile"]["existing_certifications"] = ["iso99999"]
    with pytest.raises(ServiceError) as excinfo:
        engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert "profile.existing_certifications" in excinfo.value.message
