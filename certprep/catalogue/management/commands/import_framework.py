"""`manage.py import_framework PATH [PATH...]`: import framework and process lens files.

Every file is read and checked before anything is written; frameworks are then imported before
lenses, so a lens can be given together with the framework it maps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certprep.catalogue.importers import FrameworkFileError, ParsedLens, parse_catalogue_file
from certprep.catalogue.services import ImportResult, catalogue_file_import


def describe(outcome: ImportResult | Any) -> str:
    """One line saying what an import did, for the console."""
    if isinstance(outcome, ImportResult):
        if outcome.created:
            return f"framework {outcome.framework.urn}: created with {outcome.added} requirements"
        if not outcome.changed:
            return f"framework {outcome.framework.urn}: unchanged (version {outcome.framework.library_version})"
        return (
            f"framework {outcome.framework.urn}: updated to version {outcome.framework.library_version} "
            f"({outcome.added} added, {outcome.updated} updated, {outcome.moved} moved, {outcome.retired} retired, "
            f"{outcome.unchanged} unchanged)"
        )
    return (
        f"process lens {outcome.urn}: version {outcome.library_version}, "
        f"{outcome.processes.count()} processes in {outcome.groups.count()} groups"
    )


def import_files(command: BaseCommand, paths: list[Path], *, verbosity: int = 1) -> None:
    """Check every file, then import frameworks before lenses; stop at the first refused file."""
    checked: list[tuple[Path, bytes, bool]] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror})") from exc
        try:
            is_lens = isinstance(parse_catalogue_file(data), ParsedLens)
        except FrameworkFileError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        checked.append((path, data, is_lens))
    for path, data, _is_lens in sorted(checked, key=lambda entry: entry[2]):
        try:
            outcome = catalogue_file_import(data=data)
        except FrameworkFileError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        if verbosity:
            command.stdout.write(f"{path.name}: {describe(outcome)}")


class Command(BaseCommand):
    help = "Import framework files (certprep or CISO Assistant format) and process lens files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="framework or lens YAML file")

    def handle(self, *args: Any, **options: Any) -> None:
        import_files(self, options["paths"], verbosity=options["verbosity"])
