"""Matrix columns named after an SMS role (the shipped template's keys: process-owner, sms-manager ...)
take their holders from the people's roles. Their hand-kept holders become role assignments of those
people, so nobody is lost: an SMS-wide role as it is, a process role without a process ("process not
chosen") unless the person already holds that role for some process."""

from django.db import migrations, models

SMS_ROLES = {
    "top_management", "sms_manager", "quality_manager",
    "process_owner", "process_manager", "process_coordinator", "process_executor",
}  # fmt: skip
PROCESS_ROLES = {"process_owner", "process_manager", "process_coordinator", "process_executor"}


def link_columns(apps, schema_editor):
    MatrixRole = apps.get_model("responsibilities", "MatrixRole")
    RoleHolder = apps.get_model("responsibilities", "RoleHolder")
    RoleAssignment = apps.get_model("people", "RoleAssignment")
    for role in MatrixRole.objects.order_by("engagement_id", "order", "pk"):
        sms_role = role.key.replace("-", "_")
        if sms_role not in SMS_ROLES:
            continue
        if MatrixRole.objects.filter(engagement_id=role.engagement_id, sms_role=sms_role).exists():
            continue
        role.sms_role = sms_role
        role.save(update_fields=["sms_role"])
        for holder in RoleHolder.objects.filter(role=role):
            held = RoleAssignment.objects.filter(person_id=holder.person_id, role=sms_role)
            if sms_role in PROCESS_ROLES:
                if not held.exists():
                    RoleAssignment.objects.create(person_id=holder.person_id, role=sms_role, process_code="")
            elif not held.filter(process_code="").exists():
                RoleAssignment.objects.create(person_id=holder.person_id, role=sms_role, process_code="")
        RoleHolder.objects.filter(role=role).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('engagements', '0004_time_zone_and_report_language'),
        ('people', '0002_role_assignments'),
        ('responsibilities', '0002_person_in_people'),
    ]

    operations = [
        migrations.AddField(
            model_name='matrixrole',
            name='sms_role',
            field=models.CharField(blank=True, choices=[('top_management', 'Top management'), ('sms_manager', 'SMS manager'), ('quality_manager', 'Quality manager'), ('process_owner', 'Process owner'), ('process_manager', 'Process manager'), ('process_coordinator', 'Process coordinator'), ('process_executor', 'Process executor')], help_text="When set, the column's holders are the people holding this SMS role (for the row's process).", max_length=30, verbose_name='SMS role'),
        ),
        migrations.AddConstraint(
            model_name='matrixrole',
            constraint=models.UniqueConstraint(condition=models.Q(('sms_role', ''), _negated=True), fields=('engagement', 'sms_role'), name='raci_role_sms_role_once'),
        ),
        migrations.RunPython(link_columns, migrations.RunPython.noop),
    ]
