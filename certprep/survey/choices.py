"""The fixed vocabularies of the preliminary survey. The SMS roles are the people's (certprep.people.choices)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireKind(models.TextChoices):
    MANAGEMENT = "management", _("Management system")
    PROCESS = "process", _("Process")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    SCALE = "scale", _("Scale 0-5")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    TABLE = "table", _("Table")
    PROCESS_REF = "process_ref", _("Related processes")
    ATTACHMENT = "attachment", _("File attachment")


CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}


class Topic(models.TextChoices):
    """What part of a process's current state a question describes (drives the current-state summary)."""

    DEFINITION = "definition", _("Definition")
    INPUTS = "inputs", _("Inputs")
    OUTPUTS = "outputs", _("Outputs")
    DOCUMENTS = "documents", _("Documents and records")
    TOOLS = "tools", _("Tools")
    RELATIONS = "relations", _("Relations with other processes")
    OWNERS = "owners", _("Owners")
    OTHER = "other", _("Other")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ResponseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
