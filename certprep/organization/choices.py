"""The words of the project's internal organization: its two bodies, the roles people hold in them, how often
a body meets, and what a decision may concern."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    """The two bodies of the certification project: top management steers, the project team does the work."""

    STEERING = "steering", _("Steering committee")
    TEAM = "team", _("Project team")


class ProjectRole(models.TextChoices):
    SPONSOR = "sponsor", _("Sponsor (top management)")
    CHAIR = "chair", _("Steering committee chair")
    STEERING_MEMBER = "steering_member", _("Steering committee member")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    PROCESS_OWNER = "process_owner", _("Process owner")
    DOCUMENT_WRITER = "document_writer", _("Document writer")
    INTERNAL_AUDITOR = "internal_auditor", _("Internal auditor")
    TEAM_MEMBER = "team_member", _("Project team member")


# Which body each role sits in: a person holding roles in both bodies has one row in each.
ROLE_BODY: dict[str, str] = {
    ProjectRole.SPONSOR: Body.STEERING,
    ProjectRole.CHAIR: Body.STEERING,
    ProjectRole.STEERING_MEMBER: Body.STEERING,
    ProjectRole.PROJECT_MANAGER: Body.TEAM,
    ProjectRole.PROCESS_OWNER: Body.TEAM,
    ProjectRole.DOCUMENT_WRITER: Body.TEAM,
    ProjectRole.INTERNAL_AUDITOR: Body.TEAM,
    ProjectRole.TEAM_MEMBER: Body.TEAM,
}


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly, on the n-th weekday")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = -1, _("last")


class Concerns(models.TextChoices):
    NOTHING = "", _("nothing in particular")
    DOCUMENT = "document", _("a document top management approves")
    TASK = "task", _("a task of the plan")
    TOPIC = "topic", _("an improvement topic")
