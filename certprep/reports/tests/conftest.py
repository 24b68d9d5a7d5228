"""What the reports' tests share: the sample part declared, the files stored in a temporary directory."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from certprep.reports.tests import sample_part

SAMPLE = "certprep.reports.tests.sample_part"


@pytest.fixture
def sample_parts(settings):
    settings.CERTPREP_ENGAGEMENT_PARTS = [*django_settings.CERTPREP_ENGAGEMENT_PARTS, SAMPLE]
    sample_part.SEEN.clear()
    return sample_part
