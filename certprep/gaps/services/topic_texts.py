"""The words of a generated improvement topic, as a consultant would write them: a title naming the area and
what is to be done, and a description built from the catalogue's paraphrase of each requirement (never the
standard's text), the documented information that is missing or not controlled, and what the survey answers
behind the gaps said. Pure functions over loaded data: no queries; the caller sets the language.

A topic's texts are written once per language the product speaks (see `topics_generate`): the topic's own
title and description hold the engagement's report language, its `translations` every language, so each
reader sees the topic in theirs until somebody edits it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certprep.core.wording import in_parentheses, join_names, labelled
from certprep.gaps.choices import DocumentStatus

PARAPHRASE_CHARS = 240  # a requirement's paraphrase is cut to this length in a description
NAMES_IN_TITLE = 2  # requirements named in a title; the others are counted
# Documentation statuses that make documented information part of the work.
OPEN_DOCUMENTATION = (
    DocumentStatus.MISSING,
    DocumentStatus.DRAFT,
    DocumentStatus.IN_REVIEW,
    DocumentStatus.UNCONTROLLED,
)


@dataclass(frozen=True)
class Line:
    """One requirement of the topic, in the language being written."""

    ref_id: str
    name: str
    paraphrase: str
    level: int | None
    target: int
    documentation: str


def _short(text: str, limit: int = PARAPHRASE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _called(line: Line) -> str:
    return f"{line.ref_id} {line.name}".strip() or _short(line.paraphrase, 60)


def topic_title(*, area: str, lines: Sequence[Line]) -> str:
    """E.g. "Change management: 8.5.1.1 Change management policy, 8.5.1.2 Change approval and 3 more"."""
    named = [_called(line) for line in lines[:NAMES_IN_TITLE]]
    rest = len(lines) - len(named)
    what = join_names(named)
    if rest:
        what = ngettext("%(names)s and %(n)s more", "%(names)s and %(n)s more", rest) % {"names": what, "n": rest}
    return labelled(area, what) if area else what


def topic_description(*, area: str, assessment: str, lines: Sequence[Line], survey: Sequence[str]) -> str:
    """The paragraphs of a generated topic: why, what each requirement asks, the documents, the survey."""
    parts = [
        ngettext(
            'The assessment "%(assessment)s" found %(n)s requirement of %(area)s below its target.',
            'The assessment "%(assessment)s" found %(n)s requirements of %(area)s below their target.',
            len(lines),
        )
        % {"assessment": assessment, "n": len(lines), "area": area}
    ]
    required = [_("What to put in place:")]
    for line in lines:
        if line.level is None:
            state = _("not rated yet, target %(target)s") % {"target": line.target}
        else:
            state = _("rated %(level)s, target %(target)s") % {"level": line.level, "target": line.target}
        text = labelled(_called(line), _short(line.paraphrase)) if line.paraphrase else _called(line)
        required.append(f"- {text} {in_parentheses(state)}")
    parts.append("\n".join(required))
    documents = [
        f"{line.ref_id or _called(line)} {in_parentheses(DocumentStatus(line.documentation).label)}"
        for line in lines
        if line.documentation in OPEN_DOCUMENTATION
    ]
    if documents:
        parts.append(
            labelled(_("Documented information to write, approve or bring under control"), join_names(documents))
        )
    if survey:
        parts.append("\n".join([_("What the survey answers said:"), *(f"- {said}" for said in survey)]))
    return "\n\n".join(parts)
