"""Load the demo engagement: a mid-size IT service provider preparing for ISO/IEC 20000-1.

Idempotent: an existing demo user or engagement is left as it is, so running it again keeps data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from certprep.core.parts import engagement_parts
from certprep.engagements import services
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement

DEMO_ENGAGEMENT = "Harbourline IT - ISO/IEC 20000-1 certification"

PEOPLE = [
    # username, first, last, e-mail, role
    ("li.wei", "Wei", "Li", "li.wei@harbourline.example", Role.EDITOR),
    ("chen.jing", "Jing", "Chen", "chen.jing@harbourline.example", Role.VIEWER),
]


class Command(BaseCommand):
    help = "Create the demo user (demo/demo) and the demo engagement, unless they exist already."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", default="demo", help="Password of the demo user when it is created.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        demo, created = User.objects.get_or_create(
            username="demo",
            defaults={"first_name": "Anna", "last_name": "Zhou", "email": "demo@harbourline.example"},
        )
        if created:
            demo.set_password(options["password"])
            demo.save()
            self.stdout.write("Created user demo.")
        existing = Engagement.objects.filter(name=DEMO_ENGAGEMENT).first()
        if existing is not None:
            # Parts added by later releases are filled in once; what the user changed is left alone.
            self._later_parts(existing, demo)
            self.stdout.write("Demo engagement exists already; left unchanged.")
            return
        engagement = services.engagement_create(
            user=demo,
            name=DEMO_ENGAGEMENT,
            organization_name="Harbourline IT Services Co., Ltd.",
            description=(
                "Harbourline runs hosting, network and service desk services for about 60 business customers. "
                "Two large customers now require an ISO/IEC 20000-1 certificate in their next tenders; "
                "management wants to know whether certification by the end of next year is realistic and what "
                "it costs."
            ),
            target_stage1_date=datetime.date(2027, 9, 1),
        )
        services.profile_update(
            profile=engagement.profile,
            actor=demo,
            expected_version=engagement.profile.version,
            data={
                "industry": "it_services",
                "people_in_scope": 240,
                "sites": ["Shanghai head office (Pudong)", "Suzhou data centre", "Hangzhou support office"],
                "services_in_scope": [
                    "Managed hosting",
                    "Managed network (WAN/LAN)",
                    "24x7 service desk",
                    "Backup and disaster recovery",
                    "Desktop support for customer sites",
                ],
                "scope_who": "the Managed Services division of Harbourline IT Services Co., Ltd.",
                "scope_services": (
                    "managed hosting, managed network, service desk, backup and disaster recovery "
                    "and desktop support to external business customers"
                ),
                "scope_where": "Shanghai, Suzhou and Hangzhou",
                "itsm_tools": [
                    "Jira Service Management (service desk)",
                    "Zabbix (monitoring)",
                    "iTop (CMDB, partly filled)",
                ],
                "itil_adoption": "partial",
                "existing_certifications": ["iso9001", "iso27001"],
                "notes": (
                    "ISO 9001 and ISO/IEC 27001 certified since 2021: document control, internal audit and "
                    "management review already run and can be extended to the SMS. Incident and change "
                    "management follow ITIL practice; problem, capacity and supplier management are informal."
                ),
            },
        )
        for username, first, last, email, role in PEOPLE:
            user, made = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last, "email": email}
            )
            if made:
                user.set_unusable_password()
                user.save()
            services.member_add(engagement=engagement, actor=demo, user=user, role=role)
        self._later_parts(engagement, demo)
        self.stdout.write(self.style.SUCCESS(f"Created demo engagement '{DEMO_ENGAGEMENT}'."))

    def _later_parts(self, engagement: Engagement, demo: Any) -> None:
        """Each engagement part's demo (certprep/core/parts.py), in the parts' order."""
        # The demo's survey refers to the 13 processes and its assessments to ISO/IEC 20000-1; idempotent.
        call_command("load_catalogue", verbosity=0)
        for part in engagement_parts():
            if part.demo is not None:
                part.demo(engagement=engagement, actor=demo)
