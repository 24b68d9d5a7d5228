"""The rating no longer stores a documentation status: the checklist items hold it (see 0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("gaps", "0004_documentation_on_the_checklist")]

    operations = [migrations.RemoveField(model_name="rating", name="documentation")]
