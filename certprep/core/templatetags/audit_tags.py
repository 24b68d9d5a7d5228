"""The audit trail as people read it: `{% audit_shown entry name value as shown %}` gives a changed value with
choice labels and dates formatted (core.audit.audit_display); `audit_value` then joins and dashes it."""

from __future__ import annotations

from typing import Any

from django import template

from certprep.core.audit import audit_display

register = template.Library()


@register.simple_tag
def audit_shown(entry: Any, name: str, value: Any) -> Any:
    return audit_display(entry.object_type, name, value)
