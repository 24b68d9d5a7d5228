from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certprep.core.languages import translated


def localized(obj: Any, field: str) -> str:
    """A text field in the active language when the data carries a translation, else the original."""
    return translated(getattr(obj, "translations", None), field) or str(getattr(obj, field, "") or "")


class _Localized:
    """`proxy.name` is `localized(obj, "name")`."""

    __slots__ = ("_obj",)

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def __getattr__(self, field: str) -> str:
        return localized(self._obj, field)


class Translatable:
    """Mixin: `obj.tr.name` gives the name in the active language."""

    translations: Any

    @property
    def tr(self) -> Any:
        return _Localized(self)


class Framework(Translatable, models.Model):
    """A set of requirements an organization is assessed against, e.g. ISO/IEC 20000-1:2018.

    Loaded from a versioned data file; identified by its URN so a newer file updates it in place.
    """

    class SourceFormat(models.TextChoices):
        CERTPREP = "certprep", _("certprep framework file")
        CISO_ASSISTANT = "ciso-assistant", _("CISO Assistant library")

    urn = models.CharField(_("URN"), max_length=255, unique=True)
    ref_id = models.CharField(_("reference"), max_length=100)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    library_version = models.PositiveIntegerField(_("version of the file"), default=1)
    locale = models.CharField(_("language of the file"), max_length=20, default="en")
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    copyright = models.TextField(_("copyright"), blank=True)
    translations = models.JSONField(default=dict, blank=True)
    source_format = models.CharField(max_length=20, choices=SourceFormat.choices, default=SourceFormat.CERTPREP)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Requirement(Translatable, models.Model):
    """A clause or requirement of a framework; assessable ones are rated in the gap analysis.

    `paraphrase` is certprep's own wording of what the clause asks for, never the standard's text.
    A requirement dropped by a newer file is kept as not current, so nothing tied to it is lost.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    urn = models.CharField(_("URN"), max_length=300)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    ref_id = models.CharField(_("reference"), max_length=100, blank=True)
    name = models.CharField(_("title"), max_length=500, blank=True)
    description = models.TextField(_("what it requires"), blank=True)
    evidence = models.TextField(_("typical evidence"), blank=True)
    assessable = models.BooleanField(_("assessable"), default=False)
    depth = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveIntegerField(default=0)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    translations = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(_("in the current version"), default=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "urn"], name="requirement_urn_unique_in_framework")]
        indexes = [models.Index(fields=["framework", "is_current", "order"])]

    def __str__(self) -> str:
        return f"{self.ref_id} {self.name}".strip()


class ProcessLens(Translatable, models.Model):
    """A way of grouping requirements by process, e.g. the 13 processes of the 2005/2011 editions."""

    urn = models.CharField(_("URN"), max_length=255, unique=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    library_version = models.PositiveIntegerField(default=1)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="lenses")
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("process lens")
        verbose_name_plural = _("process lenses")

    def __str__(self) -> str:
        return self.name


class ProcessGroup(Translatable, models.Model):
    """A group of processes in a lens, e.g. "resolution processes"."""

    lens = models.ForeignKey(ProcessLens, on_delete=models.CASCADE, related_name="groups")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["lens", "order"]
        constraints = [models.UniqueConstraint(fields=["lens", "code"], name="process_group_code_unique")]

    def __str__(self) -> str:
        return self.name


class Process(Translatable, models.Model):
    """A management process of the lens (e.g. incident management) and the 2018 clauses it maps to."""

    lens = models.ForeignKey(ProcessLens, on_delete=models.CASCADE, related_name="processes")
    group = models.ForeignKey(ProcessGroup, on_delete=models.CASCADE, related_name="processes")
    code = models.SlugField(max_length=50)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("purpose"), blank=True)
    clause_2005 = models.CharField(_("2005 clause"), max_length=20, blank=True)
    clause_2011 = models.CharField(_("2011 clause"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    requirements = models.ManyToManyField(Requirement, related_name="processes", blank=True)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["lens", "order"]
        constraints = [models.UniqueConstraint(fields=["lens", "code"], name="process_code_unique")]

    def __str__(self) -> str:
        return self.name
