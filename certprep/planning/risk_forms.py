"""The form that runs the schedule risk analysis: how many iterations, and the seed that makes a run
reproducible (prefilled with a random one, shown so a run can be repeated)."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.planning.models import Task
from certprep.planning.scheduling.montecarlo import DEFAULT_ITERATIONS, MAX_ITERATIONS, MIN_ITERATIONS
from certprep.planning.services.risk import MAX_SEED
from certprep.planning.services.risk_estimates import EstimateChange


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


MAX_ESTIMATE_ROWS = 300  # three fields a row stay under Django's 1,000 fields a request


class EstimatesForm(forms.Form):
    """One row per task: its optimistic and pessimistic duration, and the version the table was read at."""

    def __init__(self, *args: object, tasks: list[Task], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.tasks = tasks
        for task in tasks:
            self.fields[f"optimistic_{task.pk}"] = forms.IntegerField(
                label=_("%(task)s · optimistic duration (working days)") % {"task": task.name},
                min_value=0,
                max_value=5000,
                required=False,
                initial=task.optimistic_days,
            )
            self.fields[f"pessimistic_{task.pk}"] = forms.IntegerField(
                label=_("%(task)s · pessimistic duration (working days)") % {"task": task.name},
                min_value=0,
                max_value=5000,
                required=False,
                initial=task.pessimistic_days,
            )
            self.fields[f"version_{task.pk}"] = forms.IntegerField(widget=forms.HiddenInput, initial=task.version)

    def rows(self) -> list[tuple[Task, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (task, self[f"optimistic_{task.pk}"], self[f"pessimistic_{task.pk}"], self[f"version_{task.pk}"])
            for task in self.tasks
        ]

    def changes(self) -> list[EstimateChange]:
        data = self.cleaned_data
        return [
            EstimateChange(
                task=task.pk,
                version=data[f"version_{task.pk}"],
                optimistic_days=data[f"optimistic_{task.pk}"],
                pessimistic_days=data[f"pessimistic_{task.pk}"],
            )
            for task in self.tasks
        ]
