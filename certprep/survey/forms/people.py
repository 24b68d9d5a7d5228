from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.catalogue.selectors import LensProcess
from certprep.core.text import SingleLineField
from certprep.people.choices import PROCESS_ROLE_SHORT, PROCESS_ROLES, SmsRole
from certprep.people.models import Person
from certprep.people.rules import Pair

SEPARATOR = "@"


def pair_value(pair: Pair) -> str:
    """A (role, process code) pair as a form value: "process_owner@change", "sms_manager@"."""
    return f"{pair[0]}{SEPARATOR}{pair[1]}"


def value_pair(value: str) -> Pair:
    role, _sep, code = value.partition(SEPARATOR)
    return role, code


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
        self.system_choices = [
            (pair_value((role.value, "")), str(role.label)) for role in SmsRole if role.value not in PROCESS_ROLES
        ]
        # A process role whose process is not chosen (older data) stays visible so it can be removed.
        self.system_choices += [
            (pair_value((role, "")), _("%(role)s (process not chosen)") % {"role": SmsRole(role).label})
            for role, code in held
            if role in PROCESS_ROLES and not code
        ]
        self.process_roles = [(role.value, PROCESS_ROLE_SHORT[role]) for role in SmsRole if role.value in PROCESS_ROLES]
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
        data = {name: value for name, value in self.cleaned_data.items() if name not in ("expected_version", "roles")}
        data["roles"] = [value_pair(value) for value in self.cleaned_data.get("roles") or []]
        return data


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
        pairs: list[Pair] = [(role.value, "") for role in SmsRole if role.value not in PROCESS_ROLES]
        pairs += [
            (role, option.code) for option in self.options for role in sorted(PROCESS_ROLES, key=SmsRole.values.index)
        ]
        for pair in pairs:
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
