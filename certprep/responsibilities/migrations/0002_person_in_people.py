"""Role holders point at Person in its new home, the people app. The table and its rows do not change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_person_from_survey"),
        ("responsibilities", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="roleholder",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="raci_roles", to="people.person"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
