"""The matrix rules over plain data: no database."""

from __future__ import annotations

from certprep.responsibilities import rules
from certprep.responsibilities.rules import ActivityFacts, RoleFacts

OWNER, MANAGER, DESK = 1, 2, 3
ROLES = [RoleFacts(OWNER, "Process owner", frozenset({10})), RoleFacts(MANAGER, "Process manager", frozenset({11})),
         RoleFacts(DESK, "Service desk", frozenset({12}))]


def activity(letters, *, id=1, process="incident"):
    return ActivityFacts(id=id, process_code=process, label=f"Incident: activity {id}", letters=letters)


def check(activities, roles=ROLES, *, owned=frozenset({"incident", "change"}), max_roles=4, people=None):
    return rules.check_matrix(
        activities=activities, roles=roles, owned_processes=set(owned), max_roles_per_person=max_roles,
        process_names={"incident": "Incident management", "change": "Change management"},
        people_names=people or {10: "Olga", 11: "Mani", 12: "Desmond"},
    )


def kinds(violations):
    return [v.kind for v in violations]


def test_a_well_formed_matrix_has_no_violations():
    assert check([activity({OWNER: "A", MANAGER: "R", DESK: "C"})]) == []


def test_it_flags_an_activity_without_an_accountable_role():
    [violation] = check([activity({MANAGER: "R", DESK: "C"}, id=7)])
    assert violation.kind == rules.NO_ACCOUNTABLE and violation.severity == rules.ERROR
    assert violation.activity_id == 7 and violation.process_code == "incident"
    assert "Incident: activity 7" in violation.message and "exactly one" in violation.message


def test_it_rejects_a_second_accountable():
    [violation] = check([activity({OWNER: "A", MANAGER: "A", DESK: "R"})])
    assert violation.kind == rules.SEVERAL_ACCOUNTABLE and violation.is_error
    assert "2 Accountable roles (Process manager, Process owner)" in violation.message


def test_three_accountable_roles_are_one_violation_not_two():
    violations = check([activity({OWNER: "A", MANAGER: "A", DESK: "A"})])
    assert kinds(violations) == [rules.SEVERAL_ACCOUNTABLE, rules.NO_RESPONSIBLE]
    assert "3 Accountable" in violations[0].message


def test_it_flags_an_activity_without_a_responsible_role():
    [violation] = check([activity({OWNER: "A", DESK: "C"})])
    assert violation.kind == rules.NO_RESPONSIBLE and violation.activity_id == 1


def test_an_empty_activity_lacks_both_a_and_r():
    assert kinds(check([activity({})])) == [rules.NO_ACCOUNTABLE, rules.NO_RESPONSIBLE]


def test_one_role_may_be_both_the_only_responsible_and_another_accountable():
    # R and A on different roles; several R are fine.
    assert check([activity({OWNER: "A", MANAGER: "R", DESK: "R"})]) == []


def test_supportive_consulted_and_informed_do_not_count_as_r_or_a():
    assert kinds(check([activity({OWNER: "S", MANAGER: "C", DESK: "I"})])) == [rules.NO_ACCOUNTABLE, rules.NO_RESPONSIBLE]


def test_a_process_without_an_owner_is_flagged_once_with_its_name():
    violations = check(
        [activity({OWNER: "A", MANAGER: "R"}, id=1, process="change"), activity({OWNER: "A", MANAGER: "R"}, id=2, process="change")],
        owned={"incident"},
    )
    assert kinds(violations) == [rules.PROCESS_WITHOUT_OWNER]
    assert violations[0].process_code == "change" and violations[0].activity_id is None
    assert violations[0].message.startswith("Change management has no process owner")


def test_processes_without_activities_need_no_owner_yet():
    assert check([activity({OWNER: "A", MANAGER: "R"})], owned={"incident"}) == []


def test_a_process_name_missing_from_the_catalogue_shows_its_code():
    [violation] = rules.check_process_owners(["release"], set(), {})
    assert violation.message.startswith("release has no process owner")


def test_a_person_with_more_roles_than_allowed_is_flagged():
    roles = [RoleFacts(n, f"Role {n}", frozenset({10})) for n in range(1, 4)]
    violations = check([], roles, max_roles=2)
    assert kinds(violations) == [rules.TOO_MANY_ROLES]
    assert violations[0].person_id == 10
    assert "Olga holds 3 roles (Role 1, Role 2, Role 3); at most 2" in violations[0].message


def test_exactly_the_maximum_number_of_roles_is_allowed():
    roles = [RoleFacts(n, f"Role {n}", frozenset({10})) for n in range(1, 3)]
    assert check([], roles, max_roles=2) == []


def test_a_role_used_as_a_or_r_that_nobody_holds_is_a_warning():
    roles = [RoleFacts(OWNER, "Process owner", frozenset({10})), RoleFacts(MANAGER, "Process manager")]
    violations = check([activity({OWNER: "A", MANAGER: "R"})], roles)
    assert kinds(violations) == [rules.ROLE_NOT_HELD]
    assert violations[0].severity == rules.WARNING and violations[0].role_id == MANAGER
    assert not violations[0].is_error


def test_an_unheld_role_only_consulted_or_informed_is_not_flagged():
    roles = [*ROLES, RoleFacts(4, "Auditor")]
    assert check([activity({OWNER: "A", MANAGER: "R", 4: "C"})], roles) == []


def test_an_unheld_role_is_flagged_once_whatever_the_number_of_activities():
    roles = [RoleFacts(OWNER, "Process owner", frozenset({10})), RoleFacts(MANAGER, "Process manager")]
    acts = [activity({OWNER: "A", MANAGER: "R"}, id=n) for n in range(1, 5)]
    assert kinds(check(acts, roles)) == [rules.ROLE_NOT_HELD]


def test_violations_come_per_process_then_people_then_roles():
    roles = [RoleFacts(OWNER, "Process owner", frozenset({10})), RoleFacts(MANAGER, "Process manager")]
    violations = check(
        [activity({}, id=1), activity({OWNER: "A", MANAGER: "R"}, id=2, process="change")], roles, owned={"incident"}, max_roles=0
    )
    assert kinds(violations) == [
        rules.NO_ACCOUNTABLE, rules.NO_RESPONSIBLE, rules.PROCESS_WITHOUT_OWNER, rules.TOO_MANY_ROLES, rules.ROLE_NOT_HELD,
    ]
    assert rules.count_by_severity(violations) == {"error": 4, "warning": 1}
