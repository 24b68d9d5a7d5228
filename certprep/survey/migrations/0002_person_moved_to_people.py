"""Person now lives in the people app: the survey's record of the model is dropped and its foreign keys
point at the new home. The table `survey_person` and every row stay where they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("gaps", "0002_person_in_people"),
        ("people", "0001_person_from_survey"),
        ("responsibilities", "0002_person_in_people"),
        ("survey", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="respondent",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="respondents", to="people.person"
                    ),
                ),
                migrations.AlterField(
                    model_name="followup",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="follow_ups",
                        to="people.person",
                        verbose_name="owner",
                    ),
                ),
                migrations.AlterField(
                    model_name="interview",
                    name="attendees",
                    field=models.ManyToManyField(
                        blank=True, related_name="interviews", to="people.person", verbose_name="attendees"
                    ),
                ),
                migrations.DeleteModel(name="Person"),
            ],
            database_operations=[],
        ),
    ]
