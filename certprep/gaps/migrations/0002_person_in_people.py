"""Owners of documents and improvement topics point at Person in its new home, the people app. The table and
its rows do not change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("gaps", "0001_initial"),
        ("people", "0001_person_from_survey"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="documentitem",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.person",
                        verbose_name="owner",
                    ),
                ),
                migrations.AlterField(
                    model_name="improvementtopic",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The person in the organization who sees the improvement through.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.person",
                        verbose_name="owner",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
