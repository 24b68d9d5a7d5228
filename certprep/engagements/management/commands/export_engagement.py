from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export_json


class Command(BaseCommand):
    help = "Write a whole engagement (profile, members, audit trail) as JSON to a file or standard output."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("engagement_id", type=int)
        parser.add_argument("--output", "-o", help="File to write; standard output when omitted.")

    def handle(self, *args: Any, **options: Any) -> None:
        engagement = Engagement.objects.filter(pk=options["engagement_id"]).first()
        if engagement is None:
            raise CommandError(f"No engagement {options['engagement_id']}.")
        text = engagement_export_json(engagement)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {options['output']}.")
        else:
            self.stdout.write(text)
