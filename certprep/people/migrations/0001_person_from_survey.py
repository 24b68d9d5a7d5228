"""Person moves from the survey app to the people app. Only Django's record of the model moves: the table
stays `survey_person` with every row, and the foreign keys of the survey, matrix and gap analysis keep
pointing at it (their apps record the new home in their own migrations)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("engagements", "0004_time_zone_and_report_language"),
        ("survey", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Person",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("department", models.CharField(blank=True, max_length=200, verbose_name="department")),
                        ("job_title", models.CharField(blank=True, max_length=200, verbose_name="job title")),
                        (
                            "email",
                            models.EmailField(
                                blank=True,
                                help_text="Where the personal survey link is sent. Without one, copy the link by hand.",
                                max_length=254,
                                verbose_name="e-mail",
                            ),
                        ),
                        ("sms_roles", models.JSONField(blank=True, default=list, verbose_name="roles in the SMS")),
                        ("processes", models.JSONField(blank=True, default=list, verbose_name="processes")),
                        (
                            "engagement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="people",
                                to="engagements.engagement",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "person",
                        "verbose_name_plural": "people",
                        "ordering": ["engagement", "name", "id"],
                        "db_table": "survey_person",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("email", ""), _negated=True),
                                fields=("engagement", "email"),
                                name="person_email_unique_in_engagement",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
