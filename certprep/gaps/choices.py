"""The fixed vocabularies of the gap analysis."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scale(models.TextChoices):
    """How requirements are rated. A requirement is rated on capability or compliance; an assessment's
    scale is the policy its requirements start from (mixed: capability for the clause 8 processes,
    compliance for the other clauses), each requirement's scale can then be changed."""

    CAPABILITY = "capability", _("Process capability 0-5 (from N/P/L/F attribute ratings)")
    COMPLIANCE = "compliance", _("Compliance, four steps")
    MIXED = "mixed", _("Mixed: capability for the clause 8 processes, compliance for clauses 4-7, 9 and 10")


REQUIREMENT_SCALES = (Scale.CAPABILITY, Scale.COMPLIANCE)


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
    """Where a document or record of the checklist stands: the one vocabulary of documented information,
    set on the checklist or on the assessment screen (a requirement shows the items that evidence it)."""

    UNKNOWN = "", _("Not checked")
    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft, not approved")
    IN_REVIEW = "in_review", _("In review")
    UNCONTROLLED = "uncontrolled", _("Exists, not controlled")
    APPROVED = "approved", _("Approved and controlled")
    NOT_NEEDED = "not_needed", _("Not needed")


# The documentation status of a requirement uses the same vocabulary (one list, one stored value).
Documentation = DocumentStatus
# Values of the former per-rating list, still read from older files and API clients.
LEGACY_DOCUMENTATION = {"controlled": DocumentStatus.APPROVED}


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


class WeightScope(models.TextChoices):
    """What an engagement's weight applies to."""

    REQUIREMENT = "requirement", _("Requirement")
    PROCESS = "process", _("Process")
    CLAUSE = "clause", _("Clause")
