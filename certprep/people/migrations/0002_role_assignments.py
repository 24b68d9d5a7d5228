"""Roles are held for a process: `RoleAssignment` replaces the two lists `sms_roles` and `processes`.

The old lists did not say which role went with which process, so each process role a person held is
recorded once for each process they worked in (their cross product); the people page shows these pairs to be
corrected. A process role without any process is kept with no process ("process not chosen", flagged until
someone chooses it). Roles for the management system as a whole are recorded without a process. Processes
of a person without any process role said nothing about a role and are not carried over."""

import django.db.models.deletion
from django.db import migrations, models

PROCESS_ROLES = {"process_owner", "process_manager", "process_coordinator", "process_executor"}
ROLES = ["top_management", "sms_manager", "quality_manager", *sorted(PROCESS_ROLES)]


def pairs_from_lists(sms_roles, processes):
    """The (role, process code) pairs the old lists stood for."""
    roles = [role for role in ROLES if role in set(sms_roles or [])]
    codes = list(dict.fromkeys(str(code) for code in (processes or []) if code))
    pairs = []
    for role in roles:
        if role in PROCESS_ROLES and codes:
            pairs.extend((role, code) for code in codes)
        else:
            pairs.append((role, ""))
    return pairs


def lists_to_pairs(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    RoleAssignment = apps.get_model("people", "RoleAssignment")
    batch = []
    for pk, sms_roles, processes in Person.objects.values_list("pk", "sms_roles", "processes").iterator(chunk_size=2000):
        batch.extend(
            RoleAssignment(person_id=pk, role=role, process_code=code) for role, code in pairs_from_lists(sms_roles, processes)
        )
        if len(batch) >= 2000:
            RoleAssignment.objects.bulk_create(batch)
            batch = []
    RoleAssignment.objects.bulk_create(batch)


def pairs_to_lists(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    RoleAssignment = apps.get_model("people", "RoleAssignment")
    held = {}
    for person_id, role, code in RoleAssignment.objects.values_list("person_id", "role", "process_code"):
        roles, codes = held.setdefault(person_id, ([], []))
        if role not in roles:
            roles.append(role)
        if code and code not in codes:
            codes.append(code)
    for person_id, (roles, codes) in held.items():
        Person.objects.filter(pk=person_id).update(sms_roles=roles, processes=codes)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_person_from_survey"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleAssignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("top_management", "Top management"),
                            ("sms_manager", "SMS manager"),
                            ("quality_manager", "Quality manager"),
                            ("process_owner", "Process owner"),
                            ("process_manager", "Process manager"),
                            ("process_coordinator", "Process coordinator"),
                            ("process_executor", "Process executor"),
                        ],
                        max_length=30,
                        verbose_name="role",
                    ),
                ),
                (
                    "process_code",
                    models.SlugField(
                        blank=True,
                        help_text="The process the role is held for; empty for the SMS as a whole.",
                        verbose_name="process",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="role_assignments", to="people.person"
                    ),
                ),
            ],
            options={
                "verbose_name": "role assignment",
                "verbose_name_plural": "role assignments",
                "ordering": ["person", "process_code", "role", "id"],
                "indexes": [models.Index(fields=["process_code", "role"], name="people_role_process_b28c4a_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("person", "role", "process_code"), name="role_held_once_per_process"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("role__in", ["process_coordinator", "process_executor", "process_manager", "process_owner"]),
                            ("process_code", ""),
                            _connector="OR",
                        ),
                        name="system_role_without_process",
                    ),
                ],
            },
        ),
        migrations.RunPython(lists_to_pairs, pairs_to_lists),
        migrations.RemoveField(model_name="person", name="processes"),
        migrations.RemoveField(model_name="person", name="sms_roles"),
    ]
