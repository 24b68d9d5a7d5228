"""The fixed vocabularies of the responsibility matrix."""

from __future__ import annotations

from typing import Any, Literal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Letter(models.TextChoices):
    """What a role does for an activity: the letters of a RACI (or RASCI) matrix."""

    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    SUPPORTIVE = "S", _("Supportive")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


# The 13 management processes of the ISO/IEC 20000-1:2005/2011 process lens, in lens order. The catalogue
# gives their names (translated); the codes are fixed so an engagement works before the catalogue is loaded.
PROCESS_CODES: tuple[str, ...] = (
    "service-level", "service-reporting", "continuity-availability", "budgeting-accounting", "capacity",
    "information-security", "business-relationship", "supplier", "incident", "problem", "configuration",
    "change", "release",
)  # fmt: skip
LENS_URN = "urn:certprep:lens:iso-iec-20000-1-2005-processes"

# The SMS role (certprep.survey.choices.SmsRole) that makes a Person the owner of the processes they work in.
PROCESS_OWNER_ROLE = "process_owner"


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


LetterName: Any = Literal["R", "A", "S", "C", "I"]
LetterOrEmpty: Any = Literal["", "R", "A", "S", "C", "I"]
ProcessCode: Any = Literal[PROCESS_CODES]
