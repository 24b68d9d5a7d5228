"""The survey and responsibility-matrix sections of the whole-engagement export file."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certprep.core.errors import ServiceError
from certprep.engagements import transfer
from certprep.engagements.models import Engagement
from certprep.engagements.tests.factories import UserFactory
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.responsibilities.models import Assignment, Matrix, MatrixRole, RoleHolder
from certprep.survey.demo import load_matrix_demo, load_survey_demo
from certprep.survey.models import Attachment, FollowUp, Interview, Person, Respondent
from certprep.survey.services.answers import respondent_by_token
from certprep.survey.services.campaigns import respondent_token
from certprep.survey.tests.factories import survey_world
from certprep.survey.transfer import survey_export

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(engagement, owner):
    objects = survey_world(engagement, owner)
    Interview.objects.filter(pk=objects["interview"].pk).update(
        interviewer=owner, minutes="Agreed: 中文 <b>minutes</b>"
    )
    FollowUp.objects.create(
        interview=objects["interview"], text="Send the procedure", due_date=datetime.date(2026, 12, 1), done=True
    )
    role = objects["role"]
    MatrixRole.objects.filter(pk=role.pk).update(translations={"zh-hans": {"name": "角色"}})
    Matrix.objects.filter(engagement=engagement).update(rasci=True, max_roles_per_person=7)
    return objects


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)


def test_the_survey_and_the_matrix_survive_a_round_trip(world, engagement, owner):
    exported = engagement_export(engagement)
    # Imported by the author: an import matches only the importer's account, so the authors' names come back.
    copy, _suggested = _import(exported, owner)
    again = engagement_export(copy)
    assert again["survey"] == exported["survey"]
    assert again["matrix"] == exported["matrix"]
    assert exported["survey"]["campaigns"][0]["respondents"][0]["responses"][0]["answers"]
    assert exported["matrix"]["settings"]["rasci"] is True
    assert exported["matrix"]["settings"]["max_roles_per_person"] == 7
    assert (
        RoleHolder.objects.filter(role__engagement=copy).count()
        == RoleHolder.objects.filter(role__engagement=engagement).count()
    )
    assert (
        Assignment.objects.filter(activity__engagement=copy).count()
        == Assignment.objects.filter(activity__engagement=engagement).count()
    )
    original = Attachment.objects.get(pk=world["attachment"].pk)
    imported = Attachment.objects.get(answer__response__respondent__campaign__engagement=copy)
    assert imported.file.name != original.file.name
    with original.file.open("rb") as a, imported.file.open("rb") as b:
        assert a.read() == b.read() == b"secret-scope-marker"
    interview = Interview.objects.get(engagement=copy)
    assert interview.uid != world["interview"].uid
    assert interview.interviewer == owner  # matched by user name


def test_the_demo_survey_and_matrix_survive_a_round_trip(catalogue, engagement, owner):
    load_survey_demo(engagement=engagement, actor=owner)
    load_matrix_demo(engagement=engagement, actor=owner)
    exported = engagement_export(engagement)
    copy, _suggested = _import(exported, owner)  # the author: only the importer's account is matched
    again = engagement_export(copy)
    assert again["survey"] == exported["survey"]
    assert again["matrix"] == exported["matrix"]
    assert len(exported["survey"]["people"]) == 18
    assert any(role["holders"] for role in exported["matrix"]["roles"])


def test_an_interviewer_without_an_account_here_is_left_empty(world, engagement):
    exported = engagement_export(engagement)
    exported["survey"]["interviews"][0]["interviewer"] = "ghost"
    copy, _missing = _import(exported, UserFactory(username="importer"))
    assert Interview.objects.get(engagement=copy).interviewer is None


def test_a_file_without_survey_and_matrix_still_imports(world, engagement, owner):
    exported = engagement_export(engagement)
    del exported["survey"], exported["matrix"]
    copy, _missing = _import(exported, owner)
    assert not Person.objects.filter(engagement=copy).exists()
    assert not MatrixRole.objects.filter(engagement=copy).exists()
    again = engagement_export(copy)
    assert again["survey"]["people"] == []
    assert again["matrix"]["settings"] is None


def test_a_bad_reference_is_refused_and_nothing_is_created(world, engagement, owner):
    exported = engagement_export(engagement)
    exported["survey"]["campaigns"][0]["respondents"][0]["person"] = 12
    counts = (Engagement.objects.count(), Person.objects.count(), Attachment.objects.count())
    with pytest.raises(ServiceError) as excinfo:
        _import(exported, owner)
    assert "survey.campaigns.0.respondents.0.person: no person #12 in the file" in excinfo.value.message
    assert excinfo.value.field == "survey.campaigns.0.respondents.0.person"
    assert (Engagement.objects.count(), Person.objects.count(), Attachment.objects.count()) == counts


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["matrix"]["roles"][0]["holders"].append(99), "matrix.roles.0.holders"),
        (lambda d: d["matrix"]["assignments"][0].update(role="nobody"), "matrix.assignments.0.role"),
        (
            lambda d: d["survey"]["interviews"][0]["follow_ups"][0].update(owner=5),
            "survey.interviews.0.follow_ups.0.owner",
        ),
        (
            lambda d: d["survey"]["campaigns"][0]["respondents"][0]["responses"][0]["answers"][0].update(
                question="nope"
            ),
            "survey.campaigns.0.respondents.0.responses.0.answers.0.question",
        ),
        (lambda d: d["survey"]["campaigns"][0]["questionnaires"].append("nope"), "survey.campaigns.0.questionnaires.1"),
        (lambda d: d["survey"]["people"].append(dict(d["survey"]["people"][0])), "survey.people.1.email"),
        (lambda d: d["survey"]["people"][0].update(sms_roles=["king"]), "survey.people.0.sms_roles.0"),
        (lambda d: d["matrix"]["assignments"][0].update(letter="X"), "matrix.assignments.0.letter"),
        (lambda d: d["survey"]["campaigns"][0].update(token="x"), "survey.campaigns.0.token"),
    ],
)
def test_broken_sections_are_refused_with_the_field(world, engagement, owner, change, where):
    exported = engagement_export(engagement)
    change(exported)
    before = Engagement.objects.count()
    with pytest.raises(ServiceError) as excinfo:
        _import(exported, owner)
    assert where in excinfo.value.message
    assert Engagement.objects.count() == before


def test_an_attachment_whose_content_does_not_match_is_refused(world, engagement, owner):
    exported = engagement_export(engagement)
    answers = exported["survey"]["campaigns"][0]["respondents"][0]["responses"][0]["answers"]
    files = next(a["attachments"] for a in answers if a["attachments"])
    files[0]["content"] = base64.b64encode(b"something-else-entirely").decode()
    with pytest.raises(ServiceError) as excinfo:
        _import(exported, owner)
    assert "sha256" in excinfo.value.message


def test_an_export_too_large_for_one_file_is_refused(world, engagement, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_BYTES", 10)
    with pytest.raises(ServiceError) as excinfo:
        engagement_export(engagement)
    assert "evidence files" in excinfo.value.message


def test_imported_respondents_get_new_links(world, engagement, owner):
    old = Respondent.objects.get(pk=world["respondent"].pk)
    old_token = respondent_token(old)
    exported = engagement_export(engagement)
    assert old.token_nonce not in json.dumps(exported)
    assert old.token_hash not in json.dumps(exported)
    copy, _missing = _import(exported, owner)
    engagement.delete()  # only the copy is left: the original's link must not open it
    assert respondent_by_token(old_token) is None
    new = Respondent.objects.get(campaign__engagement=copy)
    assert new.token_nonce != old.token_nonce
    assert respondent_by_token(respondent_token(new)) == new


def test_the_export_queries_do_not_grow_with_the_survey(world, engagement, owner):
    with CaptureQueriesContext(connection) as small:
        survey_export(engagement)
    person = Person.objects.create(engagement=engagement, name="Bob B", email="bob@client-a.example")
    for day in (5, 6):
        interview = Interview.objects.create(
            engagement=engagement,
            title="More",
            starts_at=timezone.now() + datetime.timedelta(days=day),
            interviewer=owner,
        )
        interview.attendees.add(person)
        FollowUp.objects.create(interview=interview, text="x", owner=person)
    with CaptureQueriesContext(connection) as large:
        survey_export(engagement)
    assert len(large.captured_queries) == len(small.captured_queries)
