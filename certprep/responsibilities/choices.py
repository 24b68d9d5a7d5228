"""The fixed vocabularies of the responsibility matrix."""

from __future__ import annotations

from typing import Any, Literal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certprep.catalogue.selectors import lens_process_codes
from certprep.core.schemas import Choice


class Letter(models.TextChoices):
    """What a role does for an activity: the letters of a RACI (or RASCI) matrix."""

    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    SUPPORTIVE = "S", _("Supportive")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


# The matrix legend says what a letter means; a cell says only the word. Chinese RACI usage writes A as 批准
# in a cell and 批准（最终负责） where it is explained, so it is not read as a mere sign-off (docs/glossary.md).
LEGEND_LABELS = {Letter.ACCOUNTABLE.value: pgettext_lazy("RACI legend", "Accountable")}


# The 13 management processes are named only in the catalogue's lens file; their codes in lens order.
PROCESS_CODES: tuple[str, ...] = lens_process_codes()


def letters_in_use(rasci: bool) -> list[str]:
    """The letters an editor may set, in the order a click cycles through them."""
    return ["R", "A", "S", "C", "I"] if rasci else ["R", "A", "C", "I"]


def next_letter(current: str, *, rasci: bool) -> str:
    """The letter one click gives: empty -> R -> A -> (S) -> C -> I -> empty.

    A cell holding S while RASCI is off moves on to C, as if S were still in the cycle."""
    cycle = ["", *letters_in_use(rasci)]
    if current not in cycle:
        full = ["", "R", "A", "S", "C", "I"]
        position = full.index(current) if current in full else 0
        later = [letter for letter in full[position + 1 :] if letter in cycle]
        return later[0] if later else ""
    return cycle[(cycle.index(current) + 1) % len(cycle)]


# A letter of a cell in an API body or a file, or "" for an empty cell.
LetterOrEmpty = Choice[Letter] | Literal[""]
ProcessCode: Any = Literal[PROCESS_CODES]  # the lens codes, read from the lens file
