"""The form that runs the schedule risk analysis: how many iterations, and the seed that makes a run
reproducible (prefilled with a random one, shown so a run can be repeated)."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.planning.scheduling.montecarlo import DEFAULT_ITERATIONS, MAX_ITERATIONS, MIN_ITERATIONS
from certprep.planning.services.risk import MAX_SEED


def random_seed() -> int:
    return secrets.randbelow(MAX_SEED + 1)


class RiskRunForm(forms.Form):
    iterations = forms.IntegerField(
        label=_("iterations"),
        min_value=MIN_ITERATIONS,
        max_value=MAX_ITERATIONS,
        initial=DEFAULT_ITERATIONS,
        help_text=_("How many times the plan is scheduled with durations drawn from the estimates."),
    )
    seed = forms.IntegerField(
        label=_("seed"),
        min_value=0,
        max_value=MAX_SEED,
        help_text=_("The same seed on the same inputs gives the same run."),
    )
