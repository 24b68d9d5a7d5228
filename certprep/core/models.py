from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certprep.core.background import TrackedJob


class VersionedModel(models.Model):
    """A domain object edited by people: it carries a version so concurrent edits are detected.

    Every save through a service compares the version the editor loaded with the stored one and
    refuses the save when they differ (see certprep.core.versioning).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change to a domain object: who did what, when, and which fields changed from what to what."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "created")
        UPDATE = "update", pgettext_lazy("audit action", "changed")
        DELETE = "delete", pgettext_lazy("audit action", "deleted")

    engagement = models.ForeignKey(
        "engagements.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
        help_text=_("Empty for installation-wide objects such as the catalogue."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    imported = models.BooleanField(
        _("imported"),
        default=False,
        help_text=_("Copied from an engagement file: the actor name is the file's text, not an account here."),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["engagement", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_repr}"


class OutboxMessage(TrackedJob):
    """One e-mail certprep sends: written in the transaction of the change that causes it (an invitation, a
    campaign sent, a reminder), then sent by a background worker (certprep.core.outbox). The body holds personal
    links, so it is cleared once the message is sent or given up; the subject, the recipients and the state stay
    for the pages that show whether it went."""

    subject = models.CharField(_("e-mail subject"), max_length=250)
    body = models.TextField(_("e-mail text"), blank=True)
    to = models.JSONField(_("recipients"), default=list, help_text=_("Formatted mailboxes: 'Name <address>'."))
    reply_to = models.JSONField(_("reply-to addresses"), default=list, blank=True)
    # A plain id, not a foreign key: core sits below the engagements app. Deleting an engagement deletes its rows.
    engagement_id = models.PositiveBigIntegerField(_("engagement"), null=True, blank=True, db_index=True)
    topic = models.CharField(
        _("e-mail topic"),
        max_length=50,
        blank=True,
        help_text=_("What the e-mail is about: the app and the kind of object, for the pages that show it."),
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["topic", "object_id"], name="core_outbox_topic_object"),
            models.Index(fields=["status", "heartbeat_at"], name="core_outbox_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"{self.topic or 'mail'} {self.pk}: {self.subject}"
