"""The RACI checks (responsibilities.rules) over any matrix: each check is compared with the rule it enforces,
counted here from the letters and holders directly. Pure rules: no database."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from certprep.responsibilities import rules
from certprep.responsibilities.rules import ActivityFacts, RoleFacts

LETTERS = ["", "R", "A", "S", "C", "I"]
PROCESSES = ["change", "incident", "problem"]
PEOPLE = st.frozensets(st.integers(min_value=1, max_value=6), max_size=4)


@st.composite
def roles(draw: st.DrawFn) -> list[RoleFacts]:
    count = draw(st.integers(min_value=1, max_value=5))
    found = []
    for role_id in range(1, count + 1):
        per_process = draw(st.booleans())
        found.append(
            RoleFacts(
                id=role_id,
                name=f"Role {role_id}",
                holder_ids=frozenset() if per_process else draw(PEOPLE),
                per_process=per_process,
                by_process=draw(st.fixed_dictionaries({code: PEOPLE for code in PROCESSES})) if per_process else {},
            )
        )
    return found


@st.composite
def matrices(draw: st.DrawFn) -> tuple[list[RoleFacts], list[ActivityFacts]]:
    columns = draw(roles())
    activities = [
        ActivityFacts(
            id=activity_id,
            process_code=draw(st.sampled_from(PROCESSES)),
            label=f"Activity {activity_id}",
            letters={role.id: draw(st.sampled_from(LETTERS)) for role in columns},
        )
        for activity_id in range(1, draw(st.integers(min_value=1, max_value=6)) + 1)
    ]
    return columns, activities


def kinds(violations: list[rules.Violation]) -> Counter[str]:
    return Counter(v.kind for v in violations)


@given(matrices())
def test_an_activity_is_flagged_exactly_when_it_lacks_one_accountable_person_or_a_responsible(matrix):
    columns, activities = matrix
    by_id = {role.id: role for role in columns}
    for activity in activities:
        found = rules.check_activity(activity, by_id)
        accountable = [role_id for role_id, letter in activity.letters.items() if letter == "A"]
        people = by_id[accountable[0]].holders_for(activity.process_code) if len(accountable) == 1 else frozenset()
        expected = Counter(
            {
                rules.NO_ACCOUNTABLE: int(not accountable),
                rules.SEVERAL_ACCOUNTABLE: int(len(accountable) > 1),
                rules.SEVERAL_ACCOUNTABLE_PEOPLE: int(len(people) > 1),
                rules.NO_RESPONSIBLE: int("R" not in activity.letters.values()),
            }
        )
        assert kinds(found) == +expected
        assert all(v.is_error and v.activity_id == activity.id for v in found)


@given(st.dictionaries(st.sampled_from(PROCESSES), PEOPLE), st.lists(st.sampled_from(PROCESSES)))
def test_a_process_is_flagged_once_unless_exactly_one_person_owns_it(owners, codes):
    found = rules.check_process_owners(codes, owners, process_names={})
    flagged = {v.process_code: v.kind for v in found}
    assert len(found) == len(flagged)
    for code in set(codes):
        held = owners.get(code, frozenset())
        if len(held) == 1:
            assert code not in flagged
        else:
            assert flagged[code] == (rules.PROCESS_WITHOUT_OWNER if not held else rules.PROCESS_WITH_SEVERAL_OWNERS)


@given(
    st.dictionaries(st.integers(min_value=1, max_value=9), st.lists(st.text(min_size=1, max_size=5), max_size=8)),
    st.integers(min_value=0, max_value=6),
)
def test_exactly_the_people_above_the_role_limit_are_flagged(load, limit):
    found = rules.check_role_load(load, {}, limit)
    assert {v.person_id for v in found} == {person for person, names in load.items() if len(names) > limit}
    assert all(v.kind == rules.TOO_MANY_ROLES for v in found)


@given(matrices())
def test_a_role_doing_or_answering_for_work_is_flagged_where_nobody_holds_it(matrix):
    columns, activities = matrix
    expected = set()
    for role in columns:
        used = {a.process_code for a in activities if a.letters.get(role.id) in ("A", "R")}
        if role.per_process:
            expected |= {(role.id, code) for code in used if not role.holders_for(code)}
        elif used and not role.holder_ids:
            expected.add((role.id, None))
    found = rules.check_unheld_roles(columns, activities)
    assert {(v.role_id, v.process_code) for v in found} == expected
    assert len(found) == len(expected)
    assert all(v.severity == rules.WARNING for v in found)


@given(matrices(), st.dictionaries(st.sampled_from(PROCESSES), PEOPLE), st.integers(min_value=0, max_value=3))
def test_the_matrix_check_is_every_check_together_and_counts_them_by_severity(matrix, owners, limit):
    columns, activities = matrix
    load = {1: ["a", "b", "c"], 2: ["a"]}
    found = rules.check_matrix(
        activities=activities, roles=columns, owners=owners, load=load, max_roles_per_person=limit
    )
    by_id = {role.id: role for role in columns}
    parts = rules.check_process_owners(dict.fromkeys(a.process_code for a in activities), owners, {})
    parts += [v for a in activities for v in rules.check_activity(a, by_id)]
    parts += rules.check_role_load(load, {}, limit) + rules.check_unheld_roles(columns, activities)
    assert Counter(found) == Counter(parts)
    counts = rules.count_by_severity(found)
    assert counts[rules.ERROR] == sum(v.is_error for v in found)
    assert counts[rules.WARNING] == len(found) - counts[rules.ERROR]
