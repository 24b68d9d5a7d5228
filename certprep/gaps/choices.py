"""The fixed vocabularies of the gap analysis."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scale(models.TextChoices):
    """How requirements are rated in an assessment."""

    CAPABILITY = "capability", _("Process capability 0-5 (from N/P/L/F attribute ratings)")
    COMPLIANCE = "compliance", _("Compliance, four steps")


class Compliance(models.IntegerChoices):
    """The four-step compliance scale practitioners use."""

    NOT_ADDRESSED = 0, _("Not addressed")
    INITIAL = 1, _("Initial")
    DEFINED = 2, _("Defined but inconsistent")
    CONFORMING = 3, _("Conforming")


class Capability(models.IntegerChoices):
    """Process capability levels (ISO/IEC 33020)."""

    INCOMPLETE = 0, _("Incomplete")
    PERFORMED = 1, _("Performed")
    MANAGED = 2, _("Managed")
    ESTABLISHED = 3, _("Established")
    PREDICTABLE = 4, _("Predictable")
    INNOVATING = 5, _("Innovating")


class Achievement(models.TextChoices):
    """How far a process attribute is achieved (ISO/IEC 33020)."""

    N = "N", _("N - not achieved (0-15 %)")
    P = "P", _("P - partially achieved (>15-50 %)")
    L = "L", _("L - largely achieved (>50-85 %)")
    F = "F", _("F - fully achieved (>85-100 %)")


class Documentation(models.TextChoices):
    """Whether the documented information a requirement needs exists and is controlled."""

    UNKNOWN = "", _("Not checked")
    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft, not approved")
    UNCONTROLLED = "uncontrolled", _("Exists, not controlled")
    CONTROLLED = "controlled", _("Approved and controlled")
    NOT_NEEDED = "not_needed", _("None needed")


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    REASSESSMENT = "reassessment", _("Reassessment")


class AssessmentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment status", "Open")
    CLOSED = "closed", pgettext_lazy("assessment status", "Closed")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    ANSWER = "answer", _("Survey answer")


class TopicStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("topic status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("topic status", "In progress")
    DONE = "done", pgettext_lazy("topic status", "Done")
    DROPPED = "dropped", pgettext_lazy("topic status", "Dropped")


class TopicGrouping(models.TextChoices):
    PROCESS = "process", _("By process")
    CLAUSE = "clause", _("By clause")
    CUSTOM = "custom", _("Custom")


class Priority(models.TextChoices):
    HIGH = "high", pgettext_lazy("priority", "High")
    MEDIUM = "medium", pgettext_lazy("priority", "Medium")
    LOW = "low", pgettext_lazy("priority", "Low")


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    RECORD = "record", _("Record")


class DocumentStatus(models.TextChoices):
    UNKNOWN = "", _("Not checked")
    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved and in use")


class SuggestionDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class Stage1Item(models.TextChoices):
    """What a certification body checks before stage 1 (see the domain notes, section 3)."""

    SCOPE = "scope", _("Scope of the SMS defined")
    POLICY = "policy", _("Service management policy and objectives")
    PLAN = "plan", _("Service management plan")
    INTERNAL_AUDIT = "internal-audit", _("Internal audit done")
    MANAGEMENT_REVIEW = "management-review", _("Management review done")
    OPERATING = "operating", _("SMS operating for at least 3 months")
