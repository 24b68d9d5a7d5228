from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certprep.core.background import TrackedJob
from certprep.core.models import VersionedModel
from certprep.core.timezones import validate_time_zone
from certprep.engagements.choices import Industry, ItilAdoption, Role


class Engagement(VersionedModel):
    """One organization's preparation for ISO/IEC 20000-1 certification, from feasibility to stage 1."""

    name = models.CharField(
        _("engagement name"),
        max_length=200,
        help_text=_('A short name people recognise, e.g. "Northwind IT - ISO 20000 2027".'),
    )
    organization_name = models.CharField(
        _("organization"), max_length=200, help_text=_("The legal or common name of the organization to be certified.")
    )
    description = models.TextField(
        _("purpose"), blank=True, help_text=_("Why the organization seeks certification and any context for the team.")
    )
    target_stage1_date = models.DateField(
        _("target stage 1 audit"),
        null=True,
        blank=True,
        help_text=_("The month management aims for; the plan will tell whether it is realistic."),
    )
    survey_preparation_days = models.PositiveSmallIntegerField(
        _("survey preparation time (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "The least time respondents get to gather documents before a survey deadline; an earlier "
            "deadline is flagged when a campaign is set up."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_(
            "Where the organization works, e.g. Asia/Shanghai: "
            "interview times, calendar files, reminders and dates use it."
        ),
    )
    report_language = models.CharField(
        _("report language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "The language of texts certprep writes for the organization (improvement topics, reports), "
            "whatever each reader's page language."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's seat in an engagement, with the role that decides what they may do there."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["user__username"]
        constraints = [models.UniqueConstraint(fields=["engagement", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Invitations whose link still works: not accepted, not revoked, not expired."""
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An owner's invitation to join an engagement, sent by e-mail as a personal link.

    Only a hash of the link's secret is stored; the link expires and can be revoked.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} -> {self.engagement}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class SuggestedInvitation(models.Model):
    """A member named in an imported engagement file, whom an owner may invite.

    An import makes no one a member without their consent: the file's other members become
    suggestions, kept as the file wrote them, and only an invitation the person accepts adds them.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="suggested_invitations")
    username = models.CharField(_("user name in the file"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suggested invitation")
        verbose_name_plural = _("suggested invitations")
        ordering = ["username", "id"]

    def __str__(self) -> str:
        return f"{self.username} <{self.email}>" if self.email else self.username


class OrganizationProfile(VersionedModel):
    """What the organization is, and the draft scope of its service management system."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="profile")
    industry = models.CharField(
        _("industry"),
        max_length=20,
        choices=Industry.choices,
        blank=True,
        help_text=_("Certification bodies assign auditors with competence in your sector."),
    )
    people_in_scope = models.PositiveIntegerField(
        _("people in SMS scope"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
        help_text=_(
            "Everyone doing work under the service management system, including part-time staff and "
            "contractors. Drives audit days, training cost and the size of the survey."
        ),
    )
    sites = models.JSONField(
        _("sites"),
        default=list,
        blank=True,
        help_text=_("One location per line (city, building). Each site in scope may be visited by the auditors."),
    )
    services_in_scope = models.JSONField(
        _("services in scope"),
        default=list,
        blank=True,
        help_text=_("One service per line, as customers know it. Only IT services can be certified."),
    )
    scope_who = models.CharField(
        _("scope: who"),
        max_length=300,
        blank=True,
        help_text=_('The organizational unit that provides the services, e.g. "Managed Services division".'),
    )
    scope_services = models.CharField(
        _("scope: which services"),
        max_length=500,
        blank=True,
        help_text=_('The services covered and to whom, e.g. "hosting and service desk for external customers".'),
    )
    scope_where = models.CharField(
        _("scope: where"),
        max_length=300,
        blank=True,
        help_text=_("The locations the services are delivered from."),
    )
    itsm_tools = models.JSONField(
        _("ITSM tools in use"),
        default=list,
        blank=True,
        help_text=_(
            "One tool per line (service desk, monitoring, CMDB). Tells whether tools can be adapted or bought."
        ),
    )
    itil_adoption = models.CharField(
        _("ITIL adoption"),
        max_length=20,
        choices=ItilAdoption.choices,
        blank=True,
        help_text=_("How far ITIL practices are used today; a mature organization needs a shorter preparation."),
    )
    existing_certifications = models.JSONField(
        _("existing certifications"),
        default=list,
        blank=True,
        help_text=_("Management systems already certified can share documents, internal audit and management review."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("organization profile")
        verbose_name_plural = _("organization profiles")

    def __str__(self) -> str:
        return str(_("Profile of %(org)s") % {"org": self.engagement.organization_name})

    @property
    def scope_statement(self) -> str:
        """The draft scope statement assembled from who, which services and where."""
        if not (self.scope_who and self.scope_services):
            return ""
        values = {"who": self.scope_who, "services": self.scope_services, "where": self.scope_where}
        if self.scope_where:
            return str(
                _(
                    "The service management system of %(who)s supporting the provision of %(services)s, "
                    "delivered from %(where)s."
                )
                % values
            )
        return str(_("The service management system of %(who)s supporting the provision of %(services)s.") % values)

    def completeness(self) -> int:
        """Share of profile fields filled in, in percent, shown on the dashboard."""
        values = [
            self.industry,
            self.people_in_scope,
            self.sites,
            self.services_in_scope,
            self.scope_who,
            self.scope_services,
            self.scope_where,
            self.itsm_tools,
            self.itil_adoption,
        ]
        return round(100 * sum(1 for v in values if v) / len(values))


def import_file_path(instance: EngagementImport, filename: str) -> str:
    """Where an engagement file waits for a worker: a name nobody can guess or choose."""
    return f"imports/{uuid.uuid4().hex}.json"


class EngagementImport(TrackedJob):
    """An engagement file someone uploaded to import, waiting for a background worker or imported by one.

    The file waits in the file store (a folder or a bucket) until a worker has imported it or given up; then it is
    removed. Only the person who uploaded it sees the import."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagement_imports", editable=False
    )
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    language = models.CharField(
        _("language"), max_length=10, help_text=_("The language of the page it was asked from; messages use it.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    engagement = models.ForeignKey(
        Engagement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    suggested = models.JSONField(
        _("suggested invitations"),
        default=list,
        blank=True,
        help_text=_("User names of the file's other members, in the file's order."),
    )
    current_step = models.CharField(_("current step"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("engagement import")
        verbose_name_plural = _("engagement imports")
        indexes = [models.Index(fields=["requested_by", "status"], name="engagement_import_open")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")
