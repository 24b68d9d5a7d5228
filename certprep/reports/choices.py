"""The states of a report build and the formats a report is drawn in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from certprep.core.background import JobStatus

# A build's states are a background job's (certprep.core.background).
BuildStatus = JobStatus


class FileFormat(models.TextChoices):
    DOCX = "docx", _("Word")
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel")


CONTENT_TYPES = {
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.PDF: "application/pdf",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The report languages, as the file names and the build's fields write them (Django's language codes).
LANGUAGE_CODES = ("en", "zh-hans")
