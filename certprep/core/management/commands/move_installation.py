"""`manage.py move_installation`: copy this installation (the running settings' database and file store) into a
new, empty database and object store, then check that everything arrived (certprep/core/moving.py; how to use it:
docs/deploy.md, "Moving from one machine to several")."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from certprep.core import moving


class Command(BaseCommand):
    help = (
        "Copy every row of the current database into an empty, migrated database (--to-database, usually "
        "PostgreSQL) and every stored file into an empty object store (--to-s3-* or --to-env-file), then check "
        "that everything arrived (rows counted per model, files by size and SHA-256). Exit code 1 on any "
        "difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to-database", metavar="URL", help="The target database (DATABASE_URL form).")
        parser.add_argument(
            "--to-env-file",
            type=Path,
            metavar="FILE",
            help="KEY=VALUE lines naming the target: DATABASE_URL and CERTPREP_S3_*; the options below override it.",
        )
        for option in moving.S3_OPTIONS:
            parser.add_argument(
                f"--to-s3-{option.lower().replace('_', '-')}",
                dest=f"CERTPREP_S3_{option}",
                metavar="VALUE",
                help=f"CERTPREP_S3_{option} of the target object store.",
            )
        parser.add_argument(
            "--keep-files",
            action="store_true",
            help="Move the rows only; the files stay in the current store (a PostgreSQL on the same machine).",
        )
        parser.add_argument(
            "--check-only", action="store_true", help="Copy nothing: compare the current installation with the target."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        overrides = {f"CERTPREP_S3_{option}": options[f"CERTPREP_S3_{option}"] for option in moving.S3_OPTIONS}
        overrides["DATABASE_URL"] = options["to_database"]
        try:
            environment = moving.target_environment(options["to_env_file"], overrides)
            if not environment.get("DATABASE_URL"):
                raise moving.MoveRefused("Name the target database: --to-database URL (or DATABASE_URL in the file).")
            alias = moving.open_target_database(environment["DATABASE_URL"])
            target = self._target_storage(environment, keep_files=options["keep_files"])
            started = time.monotonic()
            self.stdout.write(f"From {moving.describe_database('default')} to {moving.describe_database(alias)}.")
            if not options["check_only"]:
                moving.move(alias=alias, source=default_storage, target=target, say=self.stdout.write)
                self.stdout.write(f"Copied in {time.monotonic() - started:.1f} s. Checking.")
            report = moving.check(alias=alias, source=default_storage, target=target, say=self.stdout.write)
        except moving.MoveRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self._print(report, seconds=time.monotonic() - started)

    def _target_storage(self, environment: dict[str, str], *, keep_files: bool) -> Storage | None:
        if keep_files:
            return None
        if not environment.get("CERTPREP_S3_BUCKET"):
            raise moving.MoveRefused(
                "Name the target object store (--to-s3-bucket and the other --to-s3-* options, or CERTPREP_S3_* in "
                "--to-env-file), or keep the files where they are with --keep-files."
            )
        return moving.target_storage(environment)

    def _print(self, report: moving.Report, *, seconds: float) -> None:
        rows = sum(report.rows.values())
        self.stdout.write(
            f"Report: {rows} rows in {len(report.rows)} models, {report.files} files ({report.file_bytes} bytes) "
            f"compared in {seconds:.1f} s in all."
        )
        if not report.differences:
            self.stdout.write(self.style.SUCCESS("Everything arrived: no difference."))
            return
        for difference in report.differences:
            self.stdout.write(self.style.ERROR(f"  DIFFERENT {difference}"))
        raise CommandError(f"{len(report.differences)} differences between the installation and the target.")
