"""The matrix cell, rendered in Python: a 13 x 20 x 10 matrix has 2,600 of them, and an included
template per cell cost most of the page's time. What is the same for every cell (the URL pattern, the
label wording, the role names) is worked out once per page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()
_ACTIVITY, _ROLE = 987654321, 987654322  # stand-ins, replaced by each cell's ids


def _page(context: Any) -> dict[str, Any]:
    cache = context.render_context
    if "raci_page" not in cache:
        engagement = context.get("engagement")
        url = reverse("responsibilities:cell", args=[engagement.pk, _ACTIVITY, _ROLE]) if engagement else ""
        cache["raci_page"] = {
            "url": url.replace(str(_ACTIVITY), "{activity}").replace(str(_ROLE), "{role}"),
            "filled": _("%(activity)s — %(role)s: %(letter)s"),
            "empty": _("%(activity)s — %(role)s: empty"),
            "empty_text": escape(_("empty")),
            "roles": {},
        }
    return cache["raci_page"]


@register.simple_tag(takes_context=True)
def raci_cell(context: Any, cell: Any, row: Any) -> SafeString:
    """One <td> of the matrix: a button that cycles the letter for editors, the letter for readers."""
    page = _page(context)
    letter = escape(cell.letter)  # one of R, A, S, C, I or ""
    css = f"raci-cell raci-{letter.lower()}" if letter else "raci-cell"
    if not context.get("editable"):
        inner = letter or f'<span class="visually-hidden">{page["empty_text"]}</span>'
        return mark_safe(f'<td class="{css}">{inner}</td>')  # noqa: S308 - every part is escaped above
    role_name = page["roles"].get(cell.role.pk)
    if role_name is None:
        role_name = page["roles"][cell.role.pk] = cell.role.tr.name
    values = {"activity": row.label, "role": role_name, "letter": letter}
    label = escape((page["filled"] if letter else page["empty"]) % values)
    url = page["url"].format(activity=int(cell.activity.pk), role=int(cell.role.pk))
    return mark_safe(  # noqa: S308 - the label and letter are escaped, the ids are integers
        f'<td class="{css}"><button type="submit" class="raci-btn" '
        f'id="cell-{int(cell.activity.pk)}-{int(cell.role.pk)}" name="expected" value="{letter}" '
        f'formaction="{url}" hx-post="{url}" aria-label="{label}">{letter}</button></td>'
    )
