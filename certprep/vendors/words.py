"""How the rules' flags and parts read for people (translatable), shared by pages, API and the workbook."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certprep.vendors.rules import AccreditationFlag, CheckQuestion, CycleYear, ItemPart
from certprep.vendors.selection import NoRecommendation

ACCREDITATION = {
    AccreditationFlag.MISSING: _("accreditation missing"),
    AccreditationFlag.EXPIRED: _("accreditation expired"),
    AccreditationFlag.EXPIRY_UNKNOWN: _("accreditation expiry unknown"),
    AccreditationFlag.SCOPE_NOT_COVERED: _("scope does not cover ISO/IEC 20000-1"),
    AccreditationFlag.SCOPE_UNKNOWN: _("scope for ISO/IEC 20000-1 unknown"),
}
CHECK = {
    CheckQuestion.SURVEILLANCE: _("next year's surveillance"),
    CheckQuestion.RECERTIFICATION: _("recertification"),
    CheckQuestion.CERTIFICATE_FEE: _("certificate management fee"),
    CheckQuestion.TRAVEL: _("travel and expenses"),
}
YEARS = {
    CycleYear.INITIAL: _("Initial certification"),
    CycleYear.SURVEILLANCE_1: _("Surveillance year 1"),
    CycleYear.SURVEILLANCE_2: _("Surveillance year 2"),
    CycleYear.RECERTIFICATION: _("Recertification year 3"),
}
PARTS = {
    ItemPart.AUDIT_DAYS: _("audit days"),
    ItemPart.TRAVEL: _("travel"),
    ItemPart.APPLICATION_FEE: _("application fee"),
    ItemPart.CERTIFICATE_FEE: _("certificate fee"),
    ItemPart.CONSULTING_FEE: _("consulting fee"),
    ItemPart.CONSULTING_DAYS: _("consulting days"),
}
REFUSALS: dict[NoRecommendation, Promise] = {
    NoRecommendation.NO_VENDORS: _("No vendor of this kind is in the register."),
    NoRecommendation.NO_WEIGHT: _("Every criterion weighs 0: give the criteria weights."),
    NoRecommendation.PRICE_ALONE: _("Only the price carries weight: a choice never rests on price alone."),
}
