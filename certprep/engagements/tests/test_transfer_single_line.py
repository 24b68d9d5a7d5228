"""Names and titles in an engagement file follow the single-line rule in every section (core.text.SingleLineText):
a line break or another control character is refused naming its path in the file and nothing is imported;
bidirectional controls are dropped on the way in."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement, EngagementImport, OrganizationProfile
from certprep.engagements.tasks import import_run
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.responsibilities.models import Activity, MatrixRole
from certprep.survey.models import Attachment, Campaign, FollowUp, Interview, Person, Question, Questionnaire
from certprep.survey.tests.factories import survey_world

pytestmark = pytest.mark.django_db

ONE_LINE = "Enter one line of text: line breaks, tabs and other control characters are not allowed."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def exported(engagement, owner, catalogue):
    survey_world(engagement, owner)
    return engagement_export(engagement)


def _attachment(document):
    for campaign in document["survey"]["campaigns"]:
        for respondent in campaign["respondents"]:
            for response in respondent["responses"]:
                for answer in response["answers"]:
                    if answer["attachments"]:
                        return answer["attachments"][0]
    raise AssertionError("no attachment in the export")


PATHS = [
    ("engagement.name", lambda d: d["engagement"]),
    ("engagement.organization_name", lambda d: d["engagement"]),
    ("profile.scope_who", lambda d: d["profile"]),
    ("members.0.username", lambda d: d["members"][0]),
    ("survey.people.0.name", lambda d: d["survey"]["people"][0]),
    ("survey.people.0.department", lambda d: d["survey"]["people"][0]),
    ("survey.people.0.job_title", lambda d: d["survey"]["people"][0]),
    ("survey.people.0.email", lambda d: d["survey"]["people"][0]),
    ("survey.campaigns.0.name", lambda d: d["survey"]["campaigns"][0]),
    ("survey.questionnaires.0.title", lambda d: d["survey"]["questionnaires"][0]),
    ("survey.questionnaires.0.questions.0.section", lambda d: d["survey"]["questionnaires"][0]["questions"][0]),
    ("survey.interviews.0.title", lambda d: d["survey"]["interviews"][0]),
    ("survey.interviews.0.location", lambda d: d["survey"]["interviews"][0]),
    ("survey.interviews.0.follow_ups.0.text", lambda d: d["survey"]["interviews"][0]["follow_ups"][0]),
    ("matrix.roles.0.name", lambda d: d["matrix"]["roles"][0]),
    ("matrix.activities.0.name", lambda d: d["matrix"]["activities"][0]),
]


CASES = [(path, holder, "\r\n") for path, holder in PATHS] + [
    ("survey.people.0.name", PATHS[4][1], control) for control in ("\n", "\t", "\x7f", "\x85", "\u2028")
]


@pytest.mark.parametrize(("path", "holder", "control"), CASES, ids=[f"{p}-{c!r}" for p, _h, c in CASES])
def test_a_line_break_in_a_single_line_field_is_refused_naming_its_path(owner, exported, path, holder, control):
    field = path.rsplit(".", 1)[1]
    part = holder(exported)
    value = part[field] or "Ops"
    part[field] = value[:2] + control + value[2:]
    counts = (Engagement.objects.count(), Person.objects.count(), Campaign.objects.count(), MatrixRole.objects.count())
    with pytest.raises(ServiceError) as caught:
        engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert caught.value.message == f"The file is not a certprep engagement export: field {path}: {ONE_LINE}"
    assert caught.value.field == path
    assert (
        Engagement.objects.count(), Person.objects.count(), Campaign.objects.count(), MatrixRole.objects.count()
    ) == counts  # fmt: skip


def test_the_import_page_names_the_path_and_imports_nothing(owner_client, exported):
    exported["survey"]["people"][0]["name"] = "Alice\r\nBcc: all@client-a.example"
    before = Engagement.objects.count()
    queued = owner_client.post(
        reverse("engagements:import"), {"file": SimpleUploadedFile("e.json", json.dumps(exported).encode())}
    )
    job = EngagementImport.objects.get()
    import_run(job.pk)  # the background worker's part
    page = owner_client.get(queued["Location"])
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == f"The file is not a certprep engagement export: field survey.people.0.name: {ONE_LINE}"
    assert "Nothing was imported. The file is not a certprep engagement export: field survey.people.0.name" in (
        page.content.decode()
    )
    assert Engagement.objects.count() == before


def test_bidirectional_controls_are_dropped_on_the_way_in(owner, exported):
    exported["engagement"]["name"] = "\u202eClient A copy"
    exported["profile"]["sites"] = ["\u2067Beijing\u2069"]
    exported["survey"]["people"][0]["name"] = "Alice \u202eA"
    exported["survey"]["campaigns"][0]["name"] = "Spring \u200fsurvey"
    exported["survey"]["questionnaires"][0]["title"] = "\u2066Incident\u2069 management"
    exported["survey"]["interviews"][0]["title"] = "\u202bInterview"
    exported["survey"]["interviews"][0]["follow_ups"][0]["text"] = "Send\u202d the matrix"
    exported["matrix"]["roles"][0]["name"] = "\u202eProcess owner"
    exported["matrix"]["activities"][0]["name"] = "Log\u061c incidents"
    attachment = _attachment(exported)
    attachment["name"] = "evil\u202etxt.md.txt"
    copy, _suggested = engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert (copy.name, OrganizationProfile.objects.get(engagement=copy).sites) == ("Client A copy", ["Beijing"])
    assert Person.objects.get(engagement=copy).name == "Alice A"
    assert Campaign.objects.get(engagement=copy).name == "Spring survey"
    key = exported["survey"]["questionnaires"][0]["key"]
    assert Questionnaire.objects.get(engagement=copy, key=key).title == "Incident management"
    interview = Interview.objects.get(engagement=copy)
    assert interview.title == "Interview"
    assert FollowUp.objects.get(interview=interview).text == "Send the matrix"
    assert MatrixRole.objects.get(engagement=copy, key=exported["matrix"]["roles"][0]["key"]).name == "Process owner"
    first = exported["matrix"]["activities"][0]
    assert (
        Activity.objects.get(engagement=copy, process_code=first["process_code"], key=first["key"]).name
        == "Log incidents"
    )
    stored = Attachment.objects.get(answer__response__respondent__campaign__engagement=copy)
    assert stored.original_name == "eviltxt.md.txt"
    assert Question.objects.filter(questionnaire__engagement=copy).exists()
