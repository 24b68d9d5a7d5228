from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from certprep.core.text import LINE_CONTROLS, SingleLineField, without_bidi_controls
from certprep.core.timezones import time_zone_names
from certprep.engagements.choices import Certification, Role
from certprep.engagements.models import Engagement, OrganizationProfile
from certprep.engagements.services import PROFILE_FIELDS

MAX_LIST_ITEMS = 200


class LinesField(forms.CharField):
    """A list of short texts typed one per line; each line follows the single-line rule (core.text): its
    bidirectional controls are dropped, a tab or another control character in it is refused."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, not a string
        lines = [str(v) for v in value] if isinstance(value, list) else (super().to_python(value) or "").splitlines()
        items = [without_bidi_controls(line).strip() for line in lines]
        return list(dict.fromkeys(item for item in items if item))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > MAX_LIST_ITEMS:
            raise forms.ValidationError(_("At most %(n)s lines, please.") % {"n": MAX_LIST_ITEMS})
        for item in value:
            if len(item) > 200:
                raise forms.ValidationError(_("Each line may hold at most 200 characters."))
            if LINE_CONTROLS.search(item):
                raise forms.ValidationError(
                    _('The line "%(line)s" holds a tab or another control character; remove it.')
                    % {"line": LINE_CONTROLS.sub(" ", item)},
                    code="single_line",
                )


class VersionedForm(forms.ModelForm):
    """A model form that carries the version the editor loaded, for the conflict check on save."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version


# The engagement's single-line fields (core.text.SingleLineField), in the create and the settings form.
ENGAGEMENT_LINE_FIELDS = {"name": SingleLineField, "organization_name": SingleLineField}


def _time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=capfirst(Engagement._meta.get_field("time_zone").verbose_name),
        choices=[(name, name) for name in time_zone_names()],
        initial="UTC",
        required=False,
        help_text=Engagement._meta.get_field("time_zone").help_text,
    )


class ZoneAndLanguageDefaults:
    """A form left without a time zone or report language (an older client, a script) keeps the defaults."""

    def clean_time_zone(self) -> str:
        return self.cleaned_data.get("time_zone") or "UTC"  # type: ignore[attr-defined]

    def clean_report_language(self) -> str:
        return self.cleaned_data.get("report_language") or "en"  # type: ignore[attr-defined]


class EngagementCreateForm(ZoneAndLanguageDefaults, forms.ModelForm):
    time_zone = _time_zone_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_language"].required = False

    class Meta:
        model = Engagement
        fields = ["name", "organization_name", "description", "target_stage1_date", "time_zone", "report_language"]
        field_classes = ENGAGEMENT_LINE_FIELDS
        widgets = {
            "target_stage1_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class EngagementForm(ZoneAndLanguageDefaults, VersionedForm):
    time_zone = _time_zone_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_language"].required = False

    class Meta:
        model = Engagement
        fields = [
            "name",
            "organization_name",
            "description",
            "target_stage1_date",
            "survey_preparation_days",
            "time_zone",
            "report_language",
        ]
        field_classes = ENGAGEMENT_LINE_FIELDS
        widgets = {
            "target_stage1_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class EngagementDeleteForm(forms.Form):
    """The danger zone: the engagement's name typed again, so a slip of the mouse deletes nothing."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm_name = forms.CharField(
        label=_("Type the engagement's name to confirm"), max_length=200, strip=True, required=True
    )

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engagement = engagement
        self.fields["expected_version"].initial = engagement.version

    def clean_confirm_name(self) -> str:
        typed: str = self.cleaned_data["confirm_name"]
        if typed != self.engagement.name.strip():
            raise forms.ValidationError(_("That is not this engagement's name: nothing was deleted."))
        return typed


class ProfileForm(VersionedForm):
    sites = LinesField(
        label=_("Sites"), required=False, help_text=OrganizationProfile._meta.get_field("sites").help_text
    )
    services_in_scope = LinesField(
        label=_("Services in scope"),
        required=False,
        help_text=OrganizationProfile._meta.get_field("services_in_scope").help_text,
    )
    itsm_tools = LinesField(
        label=_("ITSM tools in use"),
        required=False,
        help_text=OrganizationProfile._meta.get_field("itsm_tools").help_text,
    )
    existing_certifications = forms.MultipleChoiceField(
        label=_("Existing certifications"),
        choices=Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=OrganizationProfile._meta.get_field("existing_certifications").help_text,
    )

    class Meta:
        model = OrganizationProfile
        fields = PROFILE_FIELDS
        field_classes = {
            "scope_who": SingleLineField,
            "scope_services": SingleLineField,
            "scope_where": SingleLineField,
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Everyone gets a personal link by e-mail and joins by accepting it.")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.EDITOR,
        help_text=_("Viewers read; editors change content; owners also manage members."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)


class EngagementImportForm(forms.Form):
    file = forms.FileField(
        label=_("Engagement file (JSON)"),
        help_text=_(
            "A file exported from certprep (Settings, Export). A new engagement is created with you as its only "
            "member and owner; the file's other members are listed on the members page as invitations you may send."
        ),
    )
