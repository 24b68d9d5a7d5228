"""Default criteria keep a stable code, so they are shown in the reader's language until renamed. Existing rows
get their code when their name is one of the shipped names in English or Chinese (as shipped when this migration
was written: the names are copied here so that later wording changes do not change what this migration does)."""

from django.db import migrations, models

SHIPPED = {
    "accreditation": ("Accreditation and its scope", "认可及其范围"),
    "competence": ("Auditors' IT and sector competence", "审核员的 IT 和行业能力"),
    "reputation": ("Reputation with our customers", "在我们客户中的声誉"),
    "scheduling": ("Scheduling capacity", "排期能力"),
    "price": ("Full 3-year fees, travel included", "3 年全部费用（含差旅）"),
    "relationship": ("Long-term relationship", "长期合作关系"),
}


def codes_set(apps, schema_editor):
    criterion = apps.get_model("vendors", "Criterion")
    for code, names in SHIPPED.items():
        criterion.objects.filter(name__in=names, code="").update(code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0001_vendor_register_quotes_selection"),
    ]

    operations = [
        migrations.AddField(
            model_name="criterion",
            name="code",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Which default criterion this is (blank for one a user made): its name is shown in the "
                "reader's language until it is renamed.",
                max_length=20,
                verbose_name="default criterion",
            ),
        ),
        migrations.RunPython(codes_set, migrations.RunPython.noop),
    ]
