from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certprep.core.wording import join_names

register = template.Library()

# Facts recorded with some entries that are not model fields.
EXTRA_LABELS = {
    "via": _("via"),
    "version": _("version"),
    "added": _("added"),
    # A count of rows an import updated, not the "updated" time field of the models.
    "updated": pgettext_lazy("audit count", "updated"),
    "retired": _("retired"),
    "processes": _("processes"),
    "removed": _("removed"),
    "questionnaires": _("questionnaires"),
    "respondents": _("respondents"),
    "e-mails": _("e-mails sent"),
    "reminders": _("reminders sent"),
    "link": _("personal link"),
}


@register.filter
def audit_value(value: Any) -> str:
    """A stored audit value as a person reads it: lists joined, nothing shown as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return join_names(value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@register.filter(name="join_names")
def join_names_filter(value: Any) -> str:
    """A list of names in running text, joined with the page language's list separator ("、" in Chinese)."""
    return join_names(value or [])


@register.filter
def field_label(entry: Any, name: str) -> str:
    """The translated label of a changed field of the audited object's model, or the raw name."""
    try:
        model = apps.get_model(entry.object_type)
        label = getattr(model._meta.get_field(name), "verbose_name", None)  # reverse relations have none
    except (LookupError, ValueError, FieldDoesNotExist):
        label = None
    if label is None or name in EXTRA_LABELS:
        return str(EXTRA_LABELS.get(name, name))
    return str(label)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template, or None when it is missing."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
