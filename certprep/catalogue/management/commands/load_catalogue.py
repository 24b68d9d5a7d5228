"""`manage.py load_catalogue`: load the framework and lens files shipped in certprep/catalogue/data/.

Safe to run on every deployment: files already loaded at the same version change nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from certprep.catalogue.management.commands.import_framework import import_files


def shipped_files() -> list[Path]:
    """The catalogue files that ship with certprep, in name order."""
    data_dir = Path(apps.get_app_config("catalogue").path) / "data"
    return sorted(path for path in data_dir.iterdir() if path.suffix in {".yaml", ".yml"})


class Command(BaseCommand):
    help = "Load the shipped frameworks and process lenses (frameworks first); idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        files = shipped_files()
        if not files and options["verbosity"]:
            self.stdout.write("No catalogue files found.")
        import_files(self, files, verbosity=options["verbosity"])
