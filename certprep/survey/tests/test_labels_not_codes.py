"""No internal codes where people read: the answers export and the audit trail show labels ("Service
catalogue", "In progress"), not the stored keys ("catalogue", "in_progress"); dates in the language's format."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from certprep.core.audit import audit_record
from certprep.core.models import AuditEntry
from certprep.survey.choices import CampaignStatus, QuestionnaireKind, ResponseStatus
from certprep.survey.exports import campaign_answers_workbook
from certprep.survey.models import Question, Questionnaire
from certprep.survey.services.campaigns import campaign_close, campaign_update
from certprep.survey.tests.interview_world import campaign, person, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents_questionnaire(engagement):
    questionnaire = Questionnaire.objects.create(
        engagement=engagement, key="management-system", kind=QuestionnaireKind.MANAGEMENT, title="Management system"
    )
    Question.objects.create(
        questionnaire=questionnaire, order=1, key="docs-existing", kind="multiple_choice", topic="documents",
        text="Which documents exist?",
        options=[
            {"value": "catalogue", "label": "Service catalogue"},
            {"value": "sla", "label": "Service level agreements"},
        ],
    )  # fmt: skip
    Question.objects.create(
        questionnaire=questionnaire, order=2, key="docs-structure", kind="single_choice", topic="documents",
        text="How is documentation organized?",
        options=[
            {"value": "ad-hoc", "label": "Each team keeps its own documents"},
            {"value": "other-standard", "label": "Only for other standards"},
        ],
    )  # fmt: skip
    return questionnaire


def test_the_answers_export_shows_option_labels_not_keys(engagement, documents_questionnaire):
    spring = campaign(engagement)
    spring.questionnaires.set([documents_questionnaire])
    respond(
        spring,
        person(engagement, "Ann Lee"),
        documents_questionnaire,
        {"docs-existing": ["catalogue", "sla"], "docs-structure": "ad-hoc"},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(campaign_answers_workbook(spring))).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert row["Which documents exist?"] == "Service catalogue, Service level agreements"
    assert row["How is documentation organized?"] == "Each team keeps its own documents"
    assert row["Status"] == "Submitted"


def test_the_audit_trail_shows_status_labels_not_codes(owner_client, owner, engagement):
    spring = campaign(engagement)
    spring.status = CampaignStatus.OPEN
    spring.save(update_fields=["status"])
    campaign_close(campaign=spring, actor=owner)
    AuditEntry.objects.create(
        engagement=engagement, actor=owner, actor_label=owner.get_username(), action="update",
        object_type="survey.response", object_id="1", object_repr="Ann Lee: Incident management",
        changes={"status": [ResponseStatus.IN_PROGRESS, ResponseStatus.SUBMITTED]},
    )  # fmt: skip
    page = owner_client.get(reverse("engagements:audit", args=[engagement.pk])).content.decode()
    assert "In progress" in page
    assert "Submitted" in page
    assert "Open</del>" in page
    assert "Closed</ins>" in page
    assert "in_progress" not in page
    assert ">open<" not in page
    assert ">closed<" not in page


def test_the_audit_trail_writes_dates_in_the_language_format(owner_client, owner, engagement):
    spring = campaign(engagement)
    campaign_update(
        campaign=spring, actor=owner, expected_version=spring.version, data={"deadline": datetime.date(2031, 3, 10)}
    )
    page = owner_client.get(reverse("engagements:audit", args=[engagement.pk])).content.decode()
    assert "10 Mar 2031" in page
    assert "2031-03-10</ins>" not in page
    chinese = owner_client.get(
        reverse("engagements:audit", args=[engagement.pk]), headers={"accept-language": "zh-hans"}
    )
    assert "2031年3月10日" in chinese.content.decode()


def test_a_recorded_fact_without_a_field_stays_as_recorded(engagement, owner):
    spring = campaign(engagement)
    entry = audit_record(engagement=engagement, actor=owner, action="update", obj=spring, values={"reminders": 3})
    from certprep.core.audit import audit_display

    assert audit_display(entry.object_type, "reminders", 3) == 3
