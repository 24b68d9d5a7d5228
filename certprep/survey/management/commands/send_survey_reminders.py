"""Send the scheduled survey reminders: run it daily (cron or a systemd timer).

Each open campaign reminds the respondents who have not submitted everything, from its "reminder days before
the deadline" until the deadline, counted in the engagement's time zone. Nobody gets a second reminder within
REMINDER_INTERVAL (20 hours), whether the first came from this command or from "Send reminders now".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from certprep.survey.choices import CampaignStatus
from certprep.survey.models import Campaign
from certprep.survey.services.campaigns import REMINDER_INTERVAL_HOURS, reminders_run


class Command(BaseCommand):
    help = "E-mail the reminders that are due in open survey campaigns (run once a day)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--base-url", default=None, help="Address of this installation for the links (default: CERTPREP_BASE_URL)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN).select_related("engagement"):
            run = reminders_run(campaign=campaign, actor=None, base_url=options["base_url"], only_due=True)
            if run.sent or run.recent:
                self.stdout.write(
                    f"{campaign.engagement} / {campaign}: {run.sent} reminders"
                    + (
                        f", {run.recent} skipped (reminded less than {REMINDER_INTERVAL_HOURS} hours ago)"
                        if run.recent
                        else ""
                    )
                )
            total += run.sent
        self.stdout.write(self.style.SUCCESS(f"{total} reminders sent."))
