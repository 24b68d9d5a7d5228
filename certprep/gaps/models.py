"""The gap analysis: assessments of an engagement against a framework, the rating of
each requirement with its evidence, the improvement topics drawn from the gaps, and the checklist of the
documented information the standard asks for."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from certprep.catalogue.models import Framework, Requirement, Translatable
from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement
from certprep.gaps.choices import (
    AssessmentKind,
    AssessmentStatus,
    DocumentKind,
    DocumentStatus,
    EvidenceKind,
    Scale,
    SuggestionDecision,
    TopicGrouping,
    TopicStatus,
    WeightScope,
)
from certprep.gaps.rules import combined_documentation
from certprep.people.models import Person
from certprep.survey.models import Answer


class GapSettings(VersionedModel):
    """What applies to all assessments of an engagement."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="gap_settings")
    scale = models.CharField(
        _("rating scale"),
        max_length=12,
        choices=Scale.choices,
        default=Scale.MIXED,
        help_text=_(
            "Used by new assessments. Capability rates each requirement's process attributes N/P/L/F and "
            "derives the level 0-5 from them; compliance rates it on four steps from not addressed to conforming; "
            "mixed rates the clause 8 processes on capability and the other clauses on compliance. Each "
            "assessment can change the scale of a clause or a requirement."
        ),
    )
    default_target = models.PositiveSmallIntegerField(
        _("default target"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_(
            "The level each requirement should reach before the stage 1 audit, unless a requirement sets its own: "
            "3 means established (capability) or conforming (compliance)."
        ),
    )
    sms_operating_since = models.DateField(
        _("SMS operating since"),
        null=True,
        blank=True,
        help_text=_(
            "The day the service management system started to run as designed. Certification bodies commonly "
            "want at least 3 months of operation before stage 1."
        ),
    )

    class Meta:
        verbose_name = _("gap analysis settings")
        verbose_name_plural = _("gap analysis settings")

    def __str__(self) -> str:
        return str(_("Gap analysis settings of %(engagement)s") % {"engagement": self.engagement.name})


class Assessment(VersionedModel):
    """One pass over every assessable requirement of a framework: the baseline, then reassessments."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+", verbose_name=_("framework"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices, default=AssessmentKind.BASELINE)
    scale = models.CharField(
        _("rating scale"),
        max_length=12,
        choices=Scale.choices,
        editable=False,
        help_text=_("The scale its requirements started from; each requirement carries its own."),
    )
    default_target = models.PositiveSmallIntegerField(
        _("default target"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The level a requirement should reach unless it sets its own target."),
    )
    assessed_on = models.DateField(
        _("assessed on"), help_text=_("The reference date; the trend orders assessments by it.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("started from")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["engagement", "assessed_on", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == AssessmentStatus.OPEN


class Rating(VersionedModel):
    """Where one requirement stands in one assessment. The level is derived from the attribute ratings on
    the capability scale (never typed), or chosen on the compliance scale; each requirement has its scale.

    Its documented information is not stored here: it is the status of the checklist items that evidence
    the requirement (see `documentation`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    scale = models.CharField(
        _("rating scale"),
        max_length=12,
        choices=[(Scale.CAPABILITY, Scale.CAPABILITY.label), (Scale.COMPLIANCE, Scale.COMPLIANCE.label)],
        default=Scale.COMPLIANCE,
    )
    attributes = models.JSONField(
        _("process attributes"),
        default=dict,
        blank=True,
        help_text=_('N/P/L/F per process attribute, e.g. {"1.1": "F"}.'),
    )
    level = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    target = models.PositiveSmallIntegerField(
        _("target"), null=True, blank=True, help_text=_("Empty: the assessment's default target.")
    )
    notes = models.TextField(_("notes"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessor"),
        help_text=_("The team member who rates this requirement."),
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["assessment", "requirement__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "requirement"], name="gaps_one_rating_per_requirement")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} / {self.requirement}"

    @property
    def documentation(self) -> str:
        """The status of the documented information of this requirement in its engagement: the combined
        status of the checklist items that evidence it. Pages attach it for many ratings in one query
        (certprep.gaps.selectors.documents.attach_documentation); read alone it costs one query."""
        if "_documentation" not in self.__dict__:
            statuses = DocumentItem.requirements.through.objects.filter(
                documentitem__engagement_id=self.assessment.engagement_id, requirement_id=self.requirement_id
            ).values_list("documentitem__status", flat=True)
            self.__dict__["_documentation"] = combined_documentation(statuses)
        return str(self.__dict__["_documentation"])

    @documentation.setter
    def documentation(self, value: str) -> None:
        self.__dict__["_documentation"] = value

    def get_documentation_display(self) -> str:
        return str(DocumentStatus(self.documentation).label)


def _evidence_path(instance: Evidence, filename: str) -> str:
    # Random names: the stored path never reveals the original name or lets one guess another's.
    return f"evidence/{instance.rating.assessment.engagement_id}/{secrets.token_hex(16)}"


class Evidence(models.Model):
    """What supports a rating: an uploaded file, a link, or a survey answer."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(upload_to=_evidence_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    answer = models.ForeignKey(Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["rating", "added_at", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url or str(self.kind)


class Decision(models.Model):
    """What an assessor did with a suggestion drawn from a survey answer: accepted or dismissed, so it is
    not offered again."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="decisions")
    key = models.CharField(max_length=200)
    decision = models.CharField(_("decision"), max_length=10, choices=SuggestionDecision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion decision")
        verbose_name_plural = _("suggestion decisions")
        constraints = [models.UniqueConstraint(fields=["rating", "key"], name="gaps_one_decision_per_suggestion")]

    def __str__(self) -> str:
        return f"{self.rating}: {self.key} {self.decision}"


class ImprovementTopic(Translatable, VersionedModel):
    """Something the organization must improve, drawn from one or more gaps. Its priority follows from the
    requirements behind it (see certprep.gaps.rules).

    A generated topic is written in every language the product speaks: `title` and `description` hold the
    engagement's report language, `translations` each language's texts, so `topic.tr.title` shows a reader
    their own language. Editing a text drops its other-language versions: what a person wrote is the text.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="improvement_topics")
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("from assessment"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what to do"), blank=True)
    grouping = models.CharField(
        _("grouped"), max_length=10, choices=TopicGrouping.choices, default=TopicGrouping.CUSTOM
    )
    group_key = models.CharField(_("group"), max_length=100, blank=True, help_text=_("The process code or clause."))
    ratings = models.ManyToManyField(Rating, related_name="topics", blank=True, verbose_name=_("requirements"))
    owner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("The person in the organization who sees the improvement through."),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    translations = models.JSONField(_("texts in each language"), default=dict, blank=True)

    class Meta:
        verbose_name = _("improvement topic")
        verbose_name_plural = _("improvement topics")
        ordering = ["engagement", "id"]

    def __str__(self) -> str:
        return self.title


class DocumentItem(Translatable, VersionedModel):
    """One document or record of the documented-information checklist, with where it stands."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="document_items")
    key = models.SlugField(_("key"), max_length=80, help_text=_("A short identifier, unique in the engagement."))
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.DOCUMENT)
    clause = models.CharField(
        _("clause"), max_length=20, blank=True, help_text=_("The clause of the standard it belongs to, e.g. 8.5.1.")
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("what it is"), blank=True)
    stage1 = models.CharField(max_length=20, blank=True, editable=False)
    requirements = models.ManyToManyField(
        Requirement,
        blank=True,
        related_name="+",
        verbose_name=_("evidences"),
        help_text=_("The requirements this document or record evidences; their documentation status is its status."),
    )
    translations = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, blank=True, default=DocumentStatus.UNKNOWN
    )
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    location = models.CharField(
        _("location"),
        max_length=500,
        blank=True,
        help_text=_("Where the current version is kept: a system, a share or a link."),
    )
    review_date = models.DateField(
        _("next review"), null=True, blank=True, help_text=_("When it is next due for review.")
    )
    notes = models.TextField(_("notes"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("documented information item")
        verbose_name_plural = _("documented information")
        ordering = ["engagement", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["engagement", "key"], name="gaps_document_key_unique")]

    def __str__(self) -> str:
        return self.name


class Weight(VersionedModel):
    """The weight an engagement gives a requirement, a process or a clause, instead of the catalogue's: how
    much a gap there counts in the priorities and the readiness figures (1 to 5)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="gap_weights")
    scope = models.CharField(_("applies to"), max_length=12, choices=WeightScope.choices)
    key = models.CharField(
        _("reference"), max_length=300, help_text=_("The URN of the requirement or clause, or the process code.")
    )
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        ordering = ["engagement", "scope", "key"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "scope", "key"], name="gaps_one_weight_per_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key}: {self.weight}"
