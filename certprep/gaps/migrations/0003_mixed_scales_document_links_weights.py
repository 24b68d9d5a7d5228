"""Mixed scales (a scale per rating, the mixed policy), the checklist items' links to the requirements they
evidence, one vocabulary of documentation statuses, and the engagement's weights."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("engagements", "0004_time_zone_and_report_language"),
        ("gaps", "0002_person_in_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentitem",
            name="requirements",
            field=models.ManyToManyField(
                blank=True,
                help_text="The requirements this document or record evidences; their documentation status is its status.",
                related_name="+",
                to="catalogue.requirement",
                verbose_name="evidences",
            ),
        ),
        migrations.AddField(
            model_name="rating",
            name="scale",
            field=models.CharField(
                choices=[
                    ("capability", "Process capability 0-5 (from N/P/L/F attribute ratings)"),
                    ("compliance", "Compliance, four steps"),
                ],
                default="compliance",
                max_length=12,
                verbose_name="rating scale",
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="scale",
            field=models.CharField(
                choices=[
                    ("capability", "Process capability 0-5 (from N/P/L/F attribute ratings)"),
                    ("compliance", "Compliance, four steps"),
                    ("mixed", "Mixed: capability for the clause 8 processes, compliance for clauses 4-7, 9 and 10"),
                ],
                editable=False,
                help_text="The scale its requirements started from; each requirement carries its own.",
                max_length=12,
                verbose_name="rating scale",
            ),
        ),
        migrations.AlterField(
            model_name="documentitem",
            name="status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not checked"),
                    ("missing", "Missing"),
                    ("draft", "Draft, not approved"),
                    ("in_review", "In review"),
                    ("uncontrolled", "Exists, not controlled"),
                    ("approved", "Approved and controlled"),
                    ("not_needed", "Not needed"),
                ],
                default="",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="gapsettings",
            name="scale",
            field=models.CharField(
                choices=[
                    ("capability", "Process capability 0-5 (from N/P/L/F attribute ratings)"),
                    ("compliance", "Compliance, four steps"),
                    ("mixed", "Mixed: capability for the clause 8 processes, compliance for clauses 4-7, 9 and 10"),
                ],
                default="mixed",
                help_text="Used by new assessments. Capability rates each requirement's process attributes N/P/L/F and derives the level 0-5 from them; compliance rates it on four steps from not addressed to conforming; mixed rates the clause 8 processes on capability and the other clauses on compliance. Each assessment can change the scale of a clause or a requirement.",
                max_length=12,
                verbose_name="rating scale",
            ),
        ),
        migrations.CreateModel(
            name="Weight",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "scope",
                    models.CharField(
                        choices=[("requirement", "Requirement"), ("process", "Process"), ("clause", "Clause")],
                        max_length=12,
                        verbose_name="applies to",
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        help_text="The URN of the requirement or clause, or the process code.",
                        max_length=300,
                        verbose_name="reference",
                    ),
                ),
                (
                    "weight",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="weight",
                    ),
                ),
                (
                    "engagement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="gap_weights",
                        to="engagements.engagement",
                    ),
                ),
            ],
            options={
                "verbose_name": "weight",
                "verbose_name_plural": "weights",
                "ordering": ["engagement", "scope", "key"],
                "constraints": [
                    models.UniqueConstraint(fields=("engagement", "scope", "key"), name="gaps_one_weight_per_scope_key")
                ],
            },
        ),
    ]
