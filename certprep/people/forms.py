"""Forms of the people pages: a person with the roles they hold, the list import, and the roles per process."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.catalogue.selectors import LensProcess
from certprep.core.text import SingleLineField
from certprep.people.choices import SmsRole
from certprep.people.models import Person
from certprep.people.rules import Pair
from certprep.people.values import (
    holder_cells,
    pair_value,
    person_changes,
    process_role_labels,
    system_role_choices,
    value_pair,
)


class PersonForm(forms.Form):
    """A person of the organization and the roles they hold, for the SMS as a whole or for processes. The
    service checks the values (e-mail, uniqueness, vocabularies) so the page and the API say the same thing;
    the form only carries them."""

    name = SingleLineField(
        label=_("Name"), max_length=200, help_text=_("The person's full name, as colleagues know it.")
    )
    department = SingleLineField(label=_("Department"), max_length=200, required=False)
    job_title = SingleLineField(label=_("Job title"), max_length=200, required=False)
    email = SingleLineField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput,
        help_text=_(
            "Where the personal survey link is sent; each address once in the engagement. Without one, copy the "
            "link by hand."
        ),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A role for the SMS as a whole, or a role for a process: the owner of change management is not the "
            "owner of capacity management. The roles decide which questionnaires the person receives and fill "
            "the responsibility matrix."
        ),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        options: Sequence[LensProcess],
        person: Person | None = None,
        held: Iterable[Pair] = (),
        **kwargs: Any,
    ) -> None:
        held = list(held)
        if person is not None and data is None:
            kwargs["initial"] = {
                "name": person.name,
                "department": person.department,
                "job_title": person.job_title,
                "email": person.email,
                "roles": [pair_value(pair) for pair in held],
                "expected_version": person.version,
            }
        super().__init__(data, **kwargs)
        self.options = list(options)
        self.system_choices = system_role_choices(held)
        self.process_roles = process_role_labels()
        roles: Any = self.fields["roles"]
        roles.choices = self.system_choices + [
            (pair_value((role, option.code)), f"{option.label}: {label}")
            for option in self.options
            for role, label in self.process_roles
        ]
        self.fields["expected_version"].required = person is not None

    def chosen(self) -> set[str]:
        """The values checked (as posted, or as held when the form is not bound)."""
        if self.is_bound:
            return (
                set(self.data.getlist("roles")) if hasattr(self.data, "getlist") else set(self.data.get("roles") or [])
            )
        return set(self.initial.get("roles") or [])

    def grid(self) -> list[dict[str, Any]]:
        """The process roles as a table: a row per process, a checkbox per role."""
        chosen = self.chosen()
        return [
            {
                "process": option,
                "cells": [
                    {
                        "value": pair_value((role, option.code)),
                        "label": label,
                        "checked": pair_value((role, option.code)) in chosen,
                    }
                    for role, label in self.process_roles
                ],
            }
            for option in self.options
        ]

    def system_boxes(self) -> list[dict[str, Any]]:
        chosen = self.chosen()
        return [{"value": value, "label": label, "checked": value in chosen} for value, label in self.system_choices]

    def service_data(self) -> dict[str, Any]:
        """The person's fields and roles as the services take them (values.person_changes, as for the API)."""
        sent = {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}
        sent["roles"] = [value_pair(value) for value in self.cleaned_data.get("roles") or []]
        return person_changes(sent)


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("People list (.xlsx or .csv)"),
        help_text=_(
            "One person per row under a header row with the columns Name (required), Department, Job title, E-mail "
            "and Roles, in any order; Chinese headers (姓名, 部门, 职务, 电子邮件, 角色) work too. Write the roles "
            'as "Change management: owner; Incident management: coordinator; SMS manager" (or 变更管理：所有者；'
            "服务管理体系经理); they fill the responsibility matrix. Older lists with the columns SMS roles and "
            "Processes still import. A row whose e-mail belongs to someone in the list updates that person; a row "
            "without a known e-mail updates the person of the same name who has no e-mail yet; other rows add "
            "people. Nothing is imported unless every row is valid. CSV files must be saved as UTF-8."
        ),
    )


class HoldersForm(forms.Form):
    """Who holds which role, for every process and for the SMS as a whole, in one form: each cell is a list of
    people (none chosen in advance for an empty cell) and `seen_<cell>` the holders the editor saw."""

    def __init__(
        self,
        data: Any = None,
        *,
        people: Sequence[Person],
        options: Sequence[LensProcess],
        holders: dict[Pair, list[Person]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        choices = [(str(person.pk), person.name) for person in people]
        self.cells: list[tuple[Pair, str]] = []
        self.options = list(options)
        for pair in holder_cells([option.code for option in self.options]):
            name = "cell_" + pair_value(pair)
            current = [str(person.pk) for person in holders.get(pair, [])]
            self.fields[name] = forms.MultipleChoiceField(
                choices=choices, required=False, initial=current, widget=forms.SelectMultiple(attrs={"size": 3})
            )
            self.fields["seen_" + pair_value(pair)] = forms.CharField(
                required=False, initial=",".join(current), widget=forms.HiddenInput
            )
            self.cells.append((pair, name))

    def cells_and_seen(self) -> tuple[dict[Pair, list[int]], dict[Pair, list[int]]]:
        cells: dict[Pair, list[int]] = {}
        seen: dict[Pair, list[int]] = {}
        for pair, name in self.cells:
            cells[pair] = [int(value) for value in self.cleaned_data.get(name) or []]
            raw = self.cleaned_data.get("seen_" + pair_value(pair)) or ""
            seen[pair] = [int(value) for value in raw.split(",") if value.strip().isdigit()]
        return cells, seen

    def _cell_row(self, pair: Pair, name: str, holders: dict[Pair, list[Person]]) -> dict[str, Any]:
        return {
            "role": SmsRole(pair[0]).label,
            "field": self[name],
            "seen": self["seen_" + pair_value(pair)],
            "holders": holders.get(pair, []),
        }

    def system_rows(self, holders: dict[Pair, list[Person]]) -> list[dict[str, Any]]:
        """The cells of the roles held for the SMS as a whole, with their current holders."""
        return [self._cell_row(pair, name, holders) for pair, name in self.cells if not pair[1]]

    def process_rows(self, holders: dict[Pair, list[Person]]) -> list[dict[str, Any]]:
        """Per process: its cells with their current holders, and its owners (exactly one is what it needs)."""
        return [
            {
                "process": option,
                "cells": [self._cell_row(pair, name, holders) for pair, name in self.cells if pair[1] == option.code],
                "owners": holders.get((SmsRole.PROCESS_OWNER.value, option.code), []),
            }
            for option in self.options
        ]
