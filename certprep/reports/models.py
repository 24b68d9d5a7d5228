"""The report pack as built: a build (what was asked for, how far it has come) and the files it made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certprep.core.background import FINISHED, TrackedJob
from certprep.core.models import VersionedModel
from certprep.reports.choices import FileFormat


class ReportBuild(TrackedJob, VersionedModel):
    """One request to write reports for top management: the documents, languages and formats asked for, built in
    the background by the worker (certprep.reports.tasks). Earlier builds are kept for download until deleted."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE, related_name="report_builds"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by_label = models.CharField(_("requested by (name)"), max_length=150, blank=True)
    documents = models.JSONField(_("documents"), default=list, help_text=_("The keys of the documents to build."))
    languages = models.JSONField(_("languages"), default=list)
    formats = models.JSONField(_("formats"), default=list)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveIntegerField(_("steps"), default=0)
    current_step = models.CharField(_("current step"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["engagement", "-created_at"], name="reports_build_newest"),
            # The recovery's look-up of running builds whose heartbeat is old (every worker, between tasks).
            models.Index(fields=["status", "heartbeat_at"], name="reports_build_heartbeat"),
        ]

    def __str__(self) -> str:
        return _("report build %(n)s") % {"n": self.pk}

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


def report_upload_to(instance: ReportFile, filename: str) -> str:
    return f"reports/{instance.build.engagement_id}/{instance.build_id}/{filename}"


class ReportFile(models.Model):
    """One report a build wrote: a document in one language and format, kept in the default storage."""

    build = models.ForeignKey(ReportBuild, verbose_name=_("build"), on_delete=models.CASCADE, related_name="files")
    document = models.CharField(_("document"), max_length=60)
    language = models.CharField(_("language"), max_length=10)
    format = models.CharField(_("format"), max_length=4, choices=FileFormat.choices)
    file = models.FileField(_("file"), upload_to=report_upload_to, max_length=300)
    name = models.CharField(_("file name"), max_length=150)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["build", "document", "language", "format"], name="reports_file_unique")
        ]

    def __str__(self) -> str:
        return self.name
