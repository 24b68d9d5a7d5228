"""The fixed vocabularies of the preliminary survey."""

from __future__ import annotations

from typing import Any, Literal

from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsRole(models.TextChoices):
    """Roles a person of the organization holds in the service management system (SMS)."""

    TOP_MANAGEMENT = "top_management", _("Top management")
    SMS_MANAGER = "sms_manager", _("SMS manager")
    QUALITY_MANAGER = "quality_manager", _("Quality manager")
    PROCESS_OWNER = "process_owner", _("Process owner")
    PROCESS_MANAGER = "process_manager", _("Process manager")
    PROCESS_COORDINATOR = "process_coordinator", _("Process coordinator")
    PROCESS_EXECUTOR = "process_executor", _("Process executor")


# Roles that answer per process: a person holding one of them is linked to the processes they work in.
PROCESS_ROLES = {
    SmsRole.PROCESS_OWNER,
    SmsRole.PROCESS_MANAGER,
    SmsRole.PROCESS_COORDINATOR,
    SmsRole.PROCESS_EXECUTOR,
}


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


SmsRoleName: Any = Literal[tuple(SmsRole.values)]
QuestionKindName: Any = Literal[tuple(QuestionKind.values)]
TopicName: Any = Literal[tuple(Topic.values)]
QuestionnaireKindName: Any = Literal[tuple(QuestionnaireKind.values)]
InterviewStatusName: Any = Literal[tuple(InterviewStatus.values)]
