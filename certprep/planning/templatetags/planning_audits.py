"""The audit warnings for any plan page: `{% audit_warnings_of page as audit %}` gives the audits page's own
warnings, or on the plan page the warnings drawn from the rows it already scheduled (one query for the
bookings, whatever the plan's size), so the plan's view needs no change."""

from __future__ import annotations

from typing import Any

from django import template

from certprep.planning.selectors.audits import AuditsPage, Warnings, plan_page_warnings

register = template.Library()


@register.simple_tag
def audit_warnings_of(page: Any) -> Warnings:
    if isinstance(page, AuditsPage):
        return Warnings(page.warnings)
    return plan_page_warnings(page)
