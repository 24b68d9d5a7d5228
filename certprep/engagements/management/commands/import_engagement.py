from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from certprep.core.errors import ServiceError
from certprep.engagements.transfer import engagement_import


class Command(BaseCommand):
    help = (
        "Create an engagement from a JSON export; all or nothing. The --owner user becomes its owner and only "
        "member; the file's other members are listed as suggested invitations on the members page."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--owner", required=True, help="User name of the owner of the new engagement.")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = get_user_model().objects.filter(username=options["owner"]).first()
        if owner is None:
            raise CommandError(f"No user {options['owner']}.")
        try:
            engagement, suggested = engagement_import(raw=Path(options["path"]).read_bytes(), actor=owner)
        except (OSError, ServiceError) as exc:
            raise CommandError(f"Nothing was imported: {getattr(exc, 'message', exc)}") from exc
        self.stdout.write(f"Imported engagement {engagement.pk} '{engagement.name}'.")
        if suggested:
            self.stdout.write(
                "Suggested invitations (nobody was added; the owner may invite them on the members page): "
                + ", ".join(suggested)
            )
