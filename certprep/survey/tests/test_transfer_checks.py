"""The engagement import (survey section, certprep/survey/transfer.py) writes attachments and interviews
without the checks the app applies everywhere else: any content type / content (served back with that
Content-Type, e.g. text/html) and any call-link scheme (rendered as <a href="javascript:...">)."""

import base64
import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from certprep.core.uploads import ALLOWED_TYPES
from certprep.engagements.models import Engagement, EngagementImport
from certprep.engagements.tasks import import_run
from certprep.engagements.transfer import engagement_export_json
from certprep.survey.models import Attachment, Interview
from certprep.survey.tests.factories import survey_world

pytestmark = pytest.mark.django_db
PAYLOAD = b"<html><script>alert(document.domain)</script></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The file waiting for the import's worker goes to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _import(engagement, owner, outsider, mutate):
    survey_world(engagement, owner)
    data = json.loads(engagement_export_json(engagement))
    mutate(data)
    attacker = Client()
    attacker.force_login(outsider)
    attacker.post(reverse("engagements:import"), {"file": SimpleUploadedFile("e.json", json.dumps(data).encode())})
    job = EngagementImport.objects.get(requested_by=outsider)
    import_run(job.pk)  # the background worker's part
    job.refresh_from_db()
    assert job.status in ("done", "failed"), job.message
    imported = (
        Engagement.objects.filter(memberships__user=outsider)
        .exclude(pk=engagement.pk)
        .filter(name=engagement.name)
        .first()
    )
    return attacker, imported


def test_imported_attachments_get_the_upload_checks(engagement, owner, outsider, catalogue):
    def mutate(data):
        for answer in data["survey"]["campaigns"][0]["respondents"][0]["responses"][0]["answers"]:
            for f in answer["attachments"]:
                f.update(
                    name="report.html",
                    content_type="text/html",
                    size=len(PAYLOAD),
                    sha256=hashlib.sha256(PAYLOAD).hexdigest(),
                    content=base64.b64encode(PAYLOAD).decode(),
                )

    attacker, imported = _import(engagement, owner, outsider, mutate)
    assert imported is None, "an HTML file came in as evidence"
    for attachment in Attachment.objects.filter(answer__response__respondent__campaign__engagement=imported):
        download = attacker.get(reverse("survey:attachment", args=[imported.pk, attachment.pk]))
        assert download["Content-Type"] in ALLOWED_TYPES.values(), f"imported file served as {download['Content-Type']}"


def test_imported_call_link_must_be_http(engagement, owner, outsider, catalogue):
    def mutate(data):
        data["survey"]["interviews"][0]["call_link"] = "javascript:alert(document.domain)"

    attacker, imported = _import(engagement, owner, outsider, mutate)
    assert imported is None, "a javascript: call link came in"
    for interview in Interview.objects.filter(engagement=imported):
        page = attacker.get(reverse("survey:interview", args=[imported.pk, interview.pk])).content.decode()
        assert 'href="javascript:' not in page, "imported call link rendered as a javascript: URL"
