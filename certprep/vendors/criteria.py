"""The default selection criteria (/work/shared/domain/iso20000.md section 7, choosing a certification body) and
how a criterion's name is shown.

A default criterion keeps a stable `code`; its name is stored in the language of whoever added the defaults, and
is shown in the reader's language as long as it is still one of the shipped names (in any of the site's
languages). A renamed default criterion, or one a user made, shows its own text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class DefaultCriterion:
    code: str
    name: str  # the msgid
    weight: int
    is_price: bool


# Weights add up to 100 and leave price one criterion among six.
DEFAULT_CRITERIA = (
    DefaultCriterion("accreditation", gettext_noop("Accreditation and its scope"), 25, False),
    DefaultCriterion("competence", gettext_noop("Auditors' IT and sector competence"), 20, False),
    DefaultCriterion("reputation", gettext_noop("Reputation with our customers"), 10, False),
    DefaultCriterion("scheduling", gettext_noop("Scheduling capacity"), 15, False),
    DefaultCriterion("price", gettext_noop("Full 3-year fees, travel included"), 20, True),
    DefaultCriterion("relationship", gettext_noop("Long-term relationship"), 10, False),
)
CODES = frozenset(default.code for default in DEFAULT_CRITERIA)
_MSGIDS = {default.code: default.name for default in DEFAULT_CRITERIA}


@cache
def shipped_names(code: str) -> frozenset[str]:
    """The default criterion's name in every language the site ships (its msgid and each translation)."""
    msgid = _MSGIDS[code]
    names = {msgid}
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            names.add(gettext(msgid))
    return frozenset(names)


def shown_name(code: str, name: str) -> str:
    """The name as the reader sees it: a default criterion still named as shipped in the reader's language,
    anything else as stored."""
    if code not in _MSGIDS or name not in shipped_names(code):
        return name
    return gettext(_MSGIDS[code])
