"""Pre-rendered option lists and attribute buttons for the assessment screen. A screen of 1,200 requirements
repeats the same few <option> lists; building each variant once and reusing it keeps the page fast."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certprep.gaps.choices import Compliance, Documentation
from certprep.gaps.rules import ATTRIBUTES, scale_max


def _options(choices: Iterable[tuple[Any, str]], selected: Any) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


class OptionSets:
    """One rendered option list per possible selected value, per field."""

    def __init__(self, *, default_target: int, scale: str, members: list[Any]) -> None:
        level_choices = [("", _("Not rated")), *[(str(c.value), f"{c.value} {c.label}") for c in Compliance]]
        self.level = {value: _options(level_choices, value) for value, _l in level_choices}
        target_choices = [
            ("", _("Default (%(n)s)") % {"n": default_target}),
            *[(str(n), str(n)) for n in range(1, scale_max(scale) + 1)],
        ]
        self.target = {value: _options(target_choices, value) for value, _l in target_choices}
        doc_choices = [(str(v), str(label)) for v, label in Documentation.choices]
        self.documentation = {value: _options(doc_choices, value) for value, _l in doc_choices}
        owner_choices = [("", _("Nobody")), *[(str(m.pk), m.get_username()) for m in members]]
        self.owner = {value: _options(owner_choices, value) for value, _l in owner_choices}
        names = {key: str(name) for key, _lvl, name in ATTRIBUTES}
        self.buttons = {
            (key, value): format_html(
                '<button type="button" class="pa pa-{}" data-attr="{}" title="PA {} {}" aria-label="PA {} {}: {}">{}</button>',
                value or "none",
                key,
                key,
                names[key],
                key,
                names[key],
                value or _("not rated"),
                value or "·",
            )
            for key in names
            for value in ("", "N", "P", "L", "F")
        }

    def row(self, row: Any) -> None:
        """Attach the fragments to one screen row."""
        rating = row.rating
        row.level_options = self.level.get("" if rating.level is None else str(rating.level), self.level[""])
        row.target_options = self.target.get("" if rating.target is None else str(rating.target), self.target[""])
        row.documentation_options = self.documentation.get(rating.documentation, self.documentation[""])
        row.owner_options = self.owner.get("" if rating.owner_id is None else str(rating.owner_id), self.owner[""])
        row.attribute_buttons = SafeString("".join(self.buttons[(key, value)] for key, value in row.attributes))
