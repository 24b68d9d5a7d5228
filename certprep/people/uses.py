"""What the apps built on people hold of a person, asked before the person is deleted.

People sit below the survey, the matrix and the plans: they must not import them. Each app that keeps
something of a person registers one function here (from its AppConfig.ready); the people pages and services
ask every registered function, so a deletion is refused, or explained, in the words of the app that holds
the person, without people knowing which apps exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from certprep.people.models import Person


@dataclass(frozen=True)
class PersonUse:
    """What one app holds of a person: why the person cannot be deleted (empty when they can), and what a
    deletion would change there, one sentence each."""

    refusal: str = ""
    consequences: list[str] = field(default_factory=list)


PersonUseCheck = Callable[[Person], PersonUse]

_checks: list[PersonUseCheck] = []


def person_use_register(check: PersonUseCheck) -> None:
    """Ask `check` about every person before a deletion (registering the same function twice asks once)."""
    if check not in _checks:
        _checks.append(check)


def person_uses(person: Person) -> PersonUse:
    """What every registered app holds of the person: the first refusal and all the consequences."""
    refusal = ""
    consequences: list[str] = []
    for check in _checks:
        use = check(person)
        refusal = refusal or use.refusal
        consequences += use.consequences
    return PersonUse(refusal=refusal, consequences=consequences)
