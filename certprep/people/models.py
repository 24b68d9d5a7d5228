"""The people of the organization and the roles they hold, entered once and read by the survey, the
responsibility matrix, the gap analysis and the plans that follow.

`Person` keeps the table it had when it lived in the survey app (`survey_person`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement
from certprep.people.choices import PROCESS_ROLES, SmsRole


class Person(VersionedModel):
    """Someone in the organization who answers questionnaires, attends interviews or holds a role in the
    SMS. People need no account in certprep."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("Where the personal survey link is sent. Without one, copy the link by hand."),
    )

    class Meta:
        db_table = "survey_person"
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["engagement", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "email"], condition=~Q(email=""), name="person_email_unique_in_engagement"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """A role a person holds in the SMS: for one process of the 13-process lens (Lee is the owner of change
    management) or, with no process, for the management system as a whole (Lee is the SMS manager).

    A process role without a process is a role whose process was not chosen yet (kept from older data and
    flagged until someone chooses it)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=SmsRole.choices)
    process_code = models.SlugField(
        _("process"),
        max_length=50,
        blank=True,
        help_text=_("The process the role is held for; empty for the SMS as a whole."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["person", "process_code", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "process_code"], name="role_held_once_per_process"),
            models.CheckConstraint(
                condition=Q(role__in=sorted(PROCESS_ROLES)) | Q(process_code=""), name="system_role_without_process"
            ),
        ]
        indexes = [models.Index(fields=["process_code", "role"])]

    def __str__(self) -> str:
        return f"{self.person} - {self.role} {self.process_code}".strip()
