"""`{% flow_steps engagement active as steps %}`: the preparation flow's steps for the menu (engagements.flow)."""

from __future__ import annotations

from typing import Any

from django import template

from certprep.engagements.flow import Step, steps

register = template.Library()


@register.simple_tag
def flow_steps(engagement: Any, active: str = "") -> list[Step]:
    return steps(engagement.pk, active or "")
