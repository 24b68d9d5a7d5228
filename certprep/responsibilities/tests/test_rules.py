"""The matrix rules over plain data: no database."""

from __future__ import annotations

from certprep.responsibilities import rules
from certprep.responsibilities.rules import ActivityFacts, RoleFacts

OWNER, MANAGER, DESK = 1, 2, 3
ROLES = [
    RoleFacts(OWNER, "Process owner", frozenset({10})),
    RoleFacts(MANAGER, "Process manager", frozenset({11})),
    RoleFacts(DESK, "Service desk", frozenset({12})),
]


def activity(letters, *, id=1, process="incident"):
    return ActivityFacts(id=id, process_code=process, label=f"Incident: activity {id}", letters=letters)


def load_of(roles):
    """What each person holds when every role counts once (columns not held per process)."""
    load = {}
    for role in roles:
        for person_id in role.holder_ids:
            load.setdefault(person_id, []).append(role.name)
    return load


def check(
    activities,
    roles=ROLES,
    *,
    owned=frozenset({"incident", "change"}),
    owners=None,
    max_roles=4,
    people=None,
    load=None,
):
    return rules.check_matrix(
        activities=activities,
        roles=roles,
        owners=owners if owners is not None else {code: frozenset({10}) for code in owned},
        load=load if load is not None else load_of(roles),
        max_roles_per_person=max_roles,
        process_names={"incident": "Incident management", "change": "Change management"},
        people_names=people or {10: "Olga", 11: "Mani", 12: "Desmond", 13: "Pia", 14: "Quinn", 15: "Ravi"},
    )


def kinds(violations):
    return [v.kind for v in violations]


def test_a_well_formed_matrix_has_no_violations():
    assert check([activity({OWNER: "A", MANAGER: "R", DESK: "C"})]) == []


def test_it_flags_an_activity_without_an_accountable_role():
    [violation] = check([activity({MANAGER: "R", DESK: "C"}, id=7)])
    assert violation.kind == rules.NO_ACCOUNTABLE
    assert violation.severity == rules.ERROR
    assert violation.activity_id == 7
    assert violation.process_code == "incident"
    assert "Incident: activity 7" in violation.message
    assert "exactly one" in violation.message


def test_it_rejects_a_second_accountable():
    [violation] = check([activity({OWNER: "A", MANAGER: "A", DESK: "R"})])
    assert violation.kind == rules.SEVERAL_ACCOUNTABLE
    assert violation.is_error
    assert "2 Accountable roles (Process manager, Process owner)" in violation.message


def test_three_accountable_roles_are_one_violation_not_two():
    violations = check([activity({OWNER: "A", MANAGER: "A", DESK: "A"})])
    assert kinds(violations) == [rules.SEVERAL_ACCOUNTABLE, rules.NO_RESPONSIBLE]
    assert "3 Accountable" in violations[0].message


def test_it_flags_an_activity_without_a_responsible_role():
    [violation] = check([activity({OWNER: "A", DESK: "C"})])
    assert violation.kind == rules.NO_RESPONSIBLE
    assert violation.activity_id == 1


def test_an_empty_activity_lacks_both_a_and_r():
    assert kinds(check([activity({})])) == [rules.NO_ACCOUNTABLE, rules.NO_RESPONSIBLE]


def test_one_role_may_be_both_the_only_responsible_and_another_accountable():
    # R and A on different roles; several R are fine.
    assert check([activity({OWNER: "A", MANAGER: "R", DESK: "R"})]) == []


def test_supportive_consulted_and_informed_do_not_count_as_r_or_a():
    assert kinds(check([activity({OWNER: "S", MANAGER: "C", DESK: "I"})])) == [
        rules.NO_ACCOUNTABLE,
        rules.NO_RESPONSIBLE,
    ]


def test_a_process_without_an_owner_is_flagged_once_with_its_name():
    violations = check(
        [
            activity({OWNER: "A", MANAGER: "R"}, id=1, process="change"),
            activity({OWNER: "A", MANAGER: "R"}, id=2, process="change"),
        ],
        owned={"incident"},
    )
    assert kinds(violations) == [rules.PROCESS_WITHOUT_OWNER]
    assert violations[0].process_code == "change"
    assert violations[0].activity_id is None
    assert violations[0].message.startswith("Change management has no process owner")


def test_processes_without_activities_need_no_owner_yet():
    assert check([activity({OWNER: "A", MANAGER: "R"})], owned={"incident"}) == []


def test_a_process_name_missing_from_the_catalogue_shows_its_code():
    [violation] = rules.check_process_owners(["release"], {}, {})
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
    assert violations[0].severity == rules.WARNING
    assert violations[0].role_id == MANAGER
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
        [activity({}, id=1), activity({OWNER: "A", MANAGER: "R"}, id=2, process="change")],
        roles,
        owned={"incident"},
        max_roles=0,
    )
    assert kinds(violations) == [
        rules.NO_ACCOUNTABLE,
        rules.NO_RESPONSIBLE,
        rules.PROCESS_WITHOUT_OWNER,
        rules.TOO_MANY_ROLES,
        rules.ROLE_NOT_HELD,
    ]
    assert rules.count_by_severity(violations) == {"error": 4, "warning": 1}


# Roles held for a process: "exactly one A" counts people, and the owner is one person ----------------------


def per_process(role_id, name, by_process):
    return RoleFacts(role_id, name, per_process=True, by_process={k: frozenset(v) for k, v in by_process.items()})


def test_five_owners_in_the_accountable_column_no_longer_pass_exactly_one_accountable():
    owners = per_process(OWNER, "Process owner", {"change": {10, 11, 12, 13, 14}, "incident": {10}})
    roles = [owners, RoleFacts(MANAGER, "Process manager", frozenset({15}))]
    change = ActivityFacts(
        id=5, process_code="change", label="Change management: Approve changes", letters={OWNER: "A", MANAGER: "R"}
    )
    incident = activity({OWNER: "A", MANAGER: "R"}, id=6)
    violations = check([change, incident], roles, owners={"change": frozenset({10}), "incident": frozenset({10})})
    assert kinds(violations) == [rules.SEVERAL_ACCOUNTABLE_PEOPLE]
    assert violations[0].activity_id == 5
    assert violations[0].is_error
    assert (
        "5 people hold Process owner, the Accountable role (Desmond, Mani, Olga, Pia, Quinn)" in violations[0].message
    )


def test_two_people_accountable_through_a_column_held_by_two_for_that_process_is_flagged():
    managers = per_process(MANAGER, "Process manager", {"incident": {11, 12}})
    violations = check(
        [activity({MANAGER: "A", OWNER: "R"})], [RoleFacts(OWNER, "Process owner", frozenset({10})), managers]
    )
    assert kinds(violations) == [rules.SEVERAL_ACCOUNTABLE_PEOPLE]


def test_a_process_owned_by_more_than_one_person_is_flagged_naming_them():
    violations = check([activity({OWNER: "A", MANAGER: "R"})], owners={"incident": frozenset({10, 11})})
    assert kinds(violations) == [rules.PROCESS_WITH_SEVERAL_OWNERS]
    assert "Incident management has 2 process owners (Mani, Olga)" in violations[0].message


def test_a_process_role_nobody_holds_for_that_process_is_flagged_for_that_process():
    owners = per_process(OWNER, "Process owner", {"incident": {10}})
    violations = check(
        [activity({OWNER: "A", MANAGER: "R"}), activity({OWNER: "A", MANAGER: "R"}, id=2, process="change")],
        [owners, RoleFacts(MANAGER, "Process manager", frozenset({11}))],
    )
    assert kinds(violations) == [rules.ROLE_NOT_HELD]
    assert violations[0].process_code == "change"
    assert "Process owner for Change management" in violations[0].message


def test_the_role_limit_counts_role_for_process_pairs_and_flags_one_above_the_limit():
    # Two roles crossed with three processes are six pairs: above a limit of 4 (counting roles gave 2).
    six = [f"{process}: {role}" for process in ("Change", "Release", "Capacity") for role in ("owner", "manager")]
    violations = check([], [], load={10: six}, max_roles=4)
    assert kinds(violations) == [rules.TOO_MANY_ROLES]
    assert "Olga holds 6 roles" in violations[0].message
    assert "at most 4 are allowed" in violations[0].message
    assert check([], [], load={10: six[:4]}, max_roles=4) == []  # at the limit: fine, as "at most 4" says
    assert kinds(check([], [], load={10: six[:5]}, max_roles=4)) == [rules.TOO_MANY_ROLES]
