"""Pre-rendered option lists and attribute buttons for the assessment screen. A screen of 1,200 requirements
repeats the same few <option> lists; building each variant once and reusing it keeps the page fast."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certprep.gaps.choices import Compliance, Documentation
from certprep.gaps.rules import ATTRIBUTES, scale_max


class _Variants(dict[str, SafeString]):
    """The rendered <option> list of one field with a value selected, built on first use."""

    def __init__(self, choices: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        self._parts = [
            (value, f'<option value="{escape(value)}"', f">{escape(label)}</option>") for value, label in choices
        ]
        self._values = {value for value, _o, _c in self._parts}

    def __missing__(self, selected: str) -> SafeString:
        chosen = selected if selected in self._values else ""
        html = SafeString(
            "".join(
                f"{opening}{' selected' if value == chosen else ''}{closing}" for value, opening, closing in self._parts
            )
        )
        self[selected] = html
        return html


class OptionSets:
    """One rendered option list per possible selected value, per field."""

    def __init__(self, *, default_target: int, scale: str, members: list[Any]) -> None:
        self.level = _Variants([("", _("Not rated")), *[(str(c.value), f"{c.value} {c.label}") for c in Compliance]])
        self.target = _Variants(
            [
                ("", _("Default (%(n)s)") % {"n": default_target}),
                *[(str(n), str(n)) for n in range(1, scale_max(scale) + 1)],
            ]
        )
        self.documentation = _Variants([(str(v), str(label)) for v, label in Documentation.choices])
        self.owner = _Variants([("", _("Nobody")), *[(str(m.pk), m.get_username()) for m in members]])
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
        row.level_options = self.level["" if rating.level is None else str(rating.level)]
        row.target_options = self.target["" if rating.target is None else str(rating.target)]
        row.documentation_options = self.documentation[rating.documentation]
        row.owner_options = self.owner["" if rating.owner_id is None else str(rating.owner_id)]
        row.attribute_buttons = SafeString("".join(self.buttons[(key, value)] for key, value in row.attributes))


def render_rows(rows: list[Any], *, base: str, disabled: str, labels: dict[str, str], capability: bool) -> SafeString:
    """The table rows of the assessment screen. Built in Python rather than with a template loop: a screen of
    1,200 requirements renders several times faster. Every user or data text goes through escape()."""
    out = []
    e = escape
    for row in rows:
        r = row.rating
        req = r.requirement
        ref = e(req.ref_id)
        link = f"{base}{r.pk}/"
        name = str(e(req.tr.name))
        if not req.is_current:
            name += f' <span class="badge">{e(labels["not_current"])}</span>'
        if row.suggestions:
            name += f' <a class="badge badge-suggest" href="{link}#suggestions">{row.suggestions} {e(labels["suggestions"])}</a>'
        if capability:
            level = "–" if r.level is None else str(r.level)
            rating_cell = (
                f'<span class="pa-group" role="group" aria-label="{e(labels["attributes"])} {ref}">{row.attribute_buttons}</span>'
                f' <output class="level" data-level>{level}</output>'
            )
        else:
            rating_cell = f'<select data-field="level" aria-label="{e(labels["rating"])} {ref}"{disabled}>{row.level_options}</select>'
        gap = "–" if row.gap is None else str(row.gap)
        prio = f" prio-{row.priority}" if row.priority else ""
        rated = "1" if r.level is not None else ""
        out.append(
            f'<tr id="r{r.pk}" class="rating-row{prio}" data-id="{r.pk}" data-version="{r.version}" data-rated="{rated}" tabindex="0">'
            f'<th scope="row"><a href="{link}">{ref}</a></th>'
            f'<td class="req-name">{name}</td>'
            f'<td class="rating-cell">{rating_cell}</td>'
            f'<td><select data-field="target" aria-label="{e(labels["target"])} {ref}"{disabled}>{row.target_options}</select></td>'
            f'<td class="gap"><output data-gap>{gap}</output></td>'
            f'<td><select data-field="documentation" aria-label="{e(labels["documentation"])} {ref}"{disabled}>{row.documentation_options}</select></td>'
            f'<td><select data-field="owner" aria-label="{e(labels["owner"])} {ref}"{disabled}>{row.owner_options}</select></td>'
            f'<td class="num"><a href="{link}#evidence">{row.evidence_count}</a></td>'
            '<td class="row-status" aria-live="polite"></td></tr>'
        )
    return SafeString("".join(out))
