"""Send the scheduled survey reminders: run it daily (cron or a systemd timer).

Each open campaign reminds the respondents who have not submitted everything, once a day, from its
"reminder days before the deadline" until the deadline.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from certprep.survey.choices import CampaignStatus
from certprep.survey.models import Campaign
from certprep.survey.services.campaigns import reminders_send


class Command(BaseCommand):
    help = "E-mail the reminders that are due in open survey campaigns (run once a day)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--base-url", default=None, help="Address of this installation for the links (default: CERTPREP_BASE_URL)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN).select_related("engagement"):
            sent = reminders_send(campaign=campaign, actor=None, base_url=options["base_url"], only_due=True)
            if sent:
                self.stdout.write(f"{campaign.engagement} / {campaign}: {sent} reminders")
            total += sent
        self.stdout.write(self.style.SUCCESS(f"{total} reminders sent."))
