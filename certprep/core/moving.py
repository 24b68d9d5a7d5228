"""Moving an installation to another database and file store (`manage.py move_installation`, docs/deploy.md).

The source is what the running settings name (typically SQLite and the local folder); the target is a new,
migrated and empty database (typically PostgreSQL) and an empty object store, named by the same variables the
new installation will run with (DATABASE_URL, CERTPREP_S3_*). Rows keep their primary keys, so every reference
between them stays true, and each table's id sequence is moved past the highest key afterwards. Files keep their
names, which is what the rows hold.

All rows go over in one transaction on the target; the files are copied inside it too, and removed again if
anything fails, so a failed move leaves the target as empty as it was. The check afterwards reads both sides
again: rows counted per model, every file read back and compared by size and SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor

from certprep.core.storage import delete_files, stored_under

TARGET_ALIAS = "move_target"
ROWS_PER_BATCH = 1000
CHUNK_BYTES = 1024 * 1024
# The rows `migrate` itself writes into a new database (post_migrate): replaced by the source's, whose keys the
# other rows refer to. Anything else in the target means it is not empty.
MADE_BY_MIGRATE: tuple[type[models.Model], ...] = (Permission, ContentType)
S3_OPTIONS = ("BUCKET", "ENDPOINT_URL", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "PREFIX", "ADDRESSING_STYLE")

Say = Callable[[str], None]


class MoveRefused(Exception):
    """The move cannot start (or the check cannot run): the message says why and what to do."""


@dataclass(frozen=True)
class Difference:
    """One thing that did not arrive as it left."""

    kind: str  # "rows" or "file"
    name: str  # the model's label or the file's name
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name}: {self.detail}"


@dataclass(frozen=True)
class Report:
    """What the check compared and what differed."""

    rows: dict[str, int]  # rows per model in the source
    files: int
    file_bytes: int
    differences: list[Difference]


# --- The target, as the environment of the new installation names it ------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (blank lines and # comments skipped, `export ` and one pair of quotes allowed), as a
    systemd EnvironmentFile or a Procfile runner's .env holds them."""
    found: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise MoveRefused(f"{path}: line {number} is not KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        found[key.strip()] = value
    return found


def target_environment(env_file: Path | None, overrides: Mapping[str, str | None]) -> dict[str, str]:
    """The target's variables: the env file's, then each option given on the command line over them."""
    environment = read_env_file(env_file) if env_file is not None else {}
    environment.update({key: value for key, value in overrides.items() if value is not None})
    return environment


def target_storage(environment: Mapping[str, str]) -> Storage:
    """The object store the CERTPREP_S3_* variables name, built as config.settings builds the default storage."""
    from config.settings import s3_storage  # the one place that turns the variables into storage options

    return storages.create_storage(s3_storage(environment))


def open_target_database(url: str) -> str:
    """Register the target database as a connection alias of its own; its alias."""
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    for key, default in (
        ("ATOMIC_REQUESTS", False),
        ("AUTOCOMMIT", True),
        ("CONN_MAX_AGE", 0),
        ("CONN_HEALTH_CHECKS", False),
        ("OPTIONS", {}),
        ("TIME_ZONE", None),
        ("TEST", {}),
    ):
        config.setdefault(key, default)
    for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
        config[key] = config.get(key) or ""
    source = connections[DEFAULT_DB_ALIAS].settings_dict
    if all(config.get(key) == source.get(key) for key in ("ENGINE", "NAME", "HOST", "PORT")):
        raise MoveRefused("The target database is the current database.")
    connections.settings[TARGET_ALIAS] = config
    return TARGET_ALIAS


def describe_database(alias: str) -> str:
    """Engine, host and name, without user or password (for the progress lines)."""
    settings = connections[alias].settings_dict
    where = f"{settings['HOST']}:{settings['PORT']}/" if settings.get("HOST") else ""
    return f"{connections[alias].vendor} {where}{settings['NAME']}"


# --- Rows ------------------------------------------------------------------------------------------------------


def copied_models() -> list[type[models.Model]]:
    """Every model with a table of its own: the apps' models, many-to-many tables, Django's own (users, sessions,
    permissions), django-axes' attempts and the task queue's results."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _label(model: type[models.Model]) -> str:
    return str(model._meta.label)


def unapplied_migrations(alias: str) -> list[str]:
    """The migrations the database still lacks (empty when it is at this release's state)."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def row_counts(alias: str) -> dict[str, int]:
    return {_label(model): model._base_manager.using(alias).count() for model in copied_models()}


def check_target_ready(alias: str) -> None:
    """Refuse a target that is not at this release's migrations or already holds data."""
    missing = unapplied_migrations(DEFAULT_DB_ALIAS)
    if missing:
        raise MoveRefused(f"The current database lacks {len(missing)} migrations: run `manage.py migrate` first.")
    missing = unapplied_migrations(alias)
    if missing:
        raise MoveRefused(
            f"The target database lacks {len(missing)} migrations (first: {missing[0]}). Migrate it first: "
            "DATABASE_URL=<target> manage.py migrate"
        )
    made = {_label(model) for model in MADE_BY_MIGRATE}
    holding = {label: n for label, n in row_counts(alias).items() if n and label not in made}
    if holding:
        listed = ", ".join(f"{label} ({n})" for label, n in sorted(holding.items())[:5])
        raise MoveRefused(f"The target database is not empty: {listed}. Move into a new, empty database.")


def _rows(model: type[models.Model], fields: list[models.Field[Any, Any]]) -> Iterator[tuple[Any, ...]]:
    query = model._base_manager.using(DEFAULT_DB_ALIAS).order_by("pk").values_list(*(f.attname for f in fields))
    yield from query.iterator(chunk_size=ROWS_PER_BATCH)


def _copy_model(model: type[models.Model], alias: str) -> int:
    """Insert the model's rows as they are (keys and timestamps included: no save(), no auto_now)."""
    target = connections[alias]
    fields = list(model._meta.local_concrete_fields)
    quote = target.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the models, values as parameters
        quote(model._meta.db_table), ", ".join(quote(str(f.column)) for f in fields), ", ".join(["%s"] * len(fields))
    )
    copied = 0
    batch: list[list[Any]] = []
    with target.cursor() as cursor:
        for row in _rows(model, fields):
            batch.append([field.get_db_prep_save(value, target) for field, value in zip(fields, row, strict=True)])
            if len(batch) == ROWS_PER_BATCH:
                cursor.executemany(sql, batch)
                copied += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            copied += len(batch)
    return copied


def copy_rows(alias: str, say: Say) -> dict[str, int]:
    """Every row of every model into the target (inside the caller's transaction on it); rows per model. The
    target's foreign keys are checked at the commit (PostgreSQL defers them), so the order of models is free."""
    for model in MADE_BY_MIGRATE:
        model._base_manager.using(alias).all().delete()
    copied: dict[str, int] = {}
    for model in copied_models():
        copied[_label(model)] = _copy_model(model, alias)
        say(f"  rows  {_label(model)}: {copied[_label(model)]}")
    target = connections[alias]
    with target.cursor() as cursor:
        for statement in target.ops.sequence_reset_sql(no_style(), copied_models()):
            cursor.execute(statement)
    return copied


# --- Files -----------------------------------------------------------------------------------------------------


def stored_files(storage: Storage) -> list[str]:
    return stored_under("", storage=storage)


def check_storage_empty(storage: Storage) -> None:
    dirs, files = storage.listdir("")
    if dirs or files:
        listed = ", ".join(sorted([*dirs, *files])[:5])
        raise MoveRefused(f"The target file store is not empty ({listed}). Move into an empty bucket or prefix.")


def copy_files(source: Storage, target: Storage, names: list[str], say: Say) -> list[str]:
    """Each file under its own name; the names copied. A name the target would change is an error: the rows
    hold the names."""
    copied: list[str] = []
    try:
        for number, name in enumerate(names, start=1):
            with source.open(name, "rb") as handle:
                stored = target.save(name, File(handle, name=name))
            copied.append(stored)
            if stored != name:
                raise MoveRefused(f"The target stored {name} as {stored}; it must keep its name.")
            if number % 25 == 0 or number == len(names):
                say(f"  files {number}/{len(names)}")
    except BaseException:
        delete_files(copied, storage=target)
        raise
    return copied


def fingerprint(storage: Storage, name: str) -> tuple[int, str]:
    """(size, SHA-256) of a stored file, read to its end."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


# --- The move and its check ------------------------------------------------------------------------------------


def move(*, alias: str, source: Storage, target: Storage | None, say: Say) -> None:
    """Rows (and files, unless `target` is None) into the target; nothing stays there if anything fails."""
    check_target_ready(alias)
    names = stored_files(source) if target is not None else []
    if target is not None:
        check_storage_empty(target)
    say(f"Moving {len(copied_models())} models and {len(names)} files.")
    # The source in a transaction too: on SQLite this holds its write lock, so nothing changes under the copy.
    with transaction.atomic(using=DEFAULT_DB_ALIAS), transaction.atomic(using=alias):
        copy_rows(alias, say)
        if target is not None:
            copy_files(source, target, names, say)


def check(*, alias: str, source: Storage, target: Storage | None, say: Say) -> Report:
    """Both sides read again: rows per model, and every file by size and SHA-256 (extra files count too)."""
    differences: list[Difference] = []
    source_rows = row_counts(DEFAULT_DB_ALIAS)
    target_rows = row_counts(alias)
    for label, count in source_rows.items():
        if target_rows[label] != count:
            differences.append(Difference("rows", label, f"{count} in the source, {target_rows[label]} in the target"))
    say(f"Checked rows of {len(source_rows)} models ({sum(source_rows.values())} rows).")
    if target is None:
        return Report(source_rows, 0, 0, differences)
    names = stored_files(source)
    total = 0
    for number, name in enumerate(names, start=1):
        size, digest = fingerprint(source, name)
        total += size
        differences.extend(_file_difference(target, name, size, digest))
        if number % 25 == 0 or number == len(names):
            say(f"  checked {number}/{len(names)} files")
    extra = sorted(set(stored_files(target)) - set(names))
    differences += [Difference("file", name, "in the target only") for name in extra]
    return Report(source_rows, len(names), total, differences)


def _file_difference(target: Storage, name: str, size: int, digest: str) -> Iterable[Difference]:
    if not target.exists(name):
        return [Difference("file", name, "missing in the target")]
    arrived_size, arrived_digest = fingerprint(target, name)
    if arrived_size != size:
        return [Difference("file", name, f"{size} bytes in the source, {arrived_size} in the target")]
    if arrived_digest != digest:
        return [Difference("file", name, "same size, different content (SHA-256)")]
    return []
