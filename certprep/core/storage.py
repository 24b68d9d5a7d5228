"""The file store, whichever it is: the local folder or an S3-compatible object store (config.settings).

Three things the rest of certprep needs beyond Django's storage API:

- `stored_under(folder)`: every file name below a folder, at any depth (a local folder and a bucket list
  "folders" differently: a bucket has none, only keys sharing a prefix, and a missing one lists empty);
- `delete_on_commit(names)`: remove files once the rows that named them are gone for good. A transaction rolls
  rows back but not files, so a file is deleted only after the commit; a file that cannot be removed then is
  logged (an orphan costs space, an error would hide a deletion that did happen);
- `storage_status()`: whether the store answers, cheaply and quickly, for the readiness check.
"""

from __future__ import annotations

import logging
import posixpath
import threading
from collections.abc import Iterable
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db import transaction

logger = logging.getLogger(__name__)

# The key the readiness check asks about. It need not exist: the store answering "no" is the answer wanted.
PROBE_KEY = "certprep-readiness-probe"
# Seconds the readiness check waits for the object store, with no retry: a load balancer asks again soon.
PROBE_TIMEOUT = 3


def stored_under(folder: str, *, storage: Storage | None = None) -> list[str]:
    """The names of every file below `folder` (and its subfolders); none when the folder does not exist."""
    store = storage or default_storage
    found: list[str] = []
    pending = [folder.strip("/")]
    while pending:
        current = pending.pop()
        try:
            dirs, files = store.listdir(current)
        except (FileNotFoundError, NotADirectoryError):
            continue
        found.extend(posixpath.join(current, name) for name in files)
        pending.extend(posixpath.join(current, name) for name in dirs)
    return sorted(found)


def delete_files(names: Iterable[str], *, storage: Storage | None = None) -> None:
    """Remove the files now; one that cannot be removed is logged and the others still go."""
    store = storage or default_storage
    for name in names:
        try:
            store.delete(name)
        except Exception:  # any store error: the rows are gone already, the file is an orphan to log
            logger.warning("Could not remove the stored file %s", name, exc_info=True)


def delete_on_commit(names: Iterable[str], *, storage: Storage | None = None) -> None:
    """Remove the files once the current transaction has committed (at once outside a transaction)."""
    pending = sorted(set(names))
    if pending:
        transaction.on_commit(lambda: delete_files(pending, storage=storage))


_probes = threading.local()


def _probe_client(store: Any) -> Any:
    """A client of the object store with a short timeout and no retries, made once per thread and store
    (making a boto3 client costs more than the question it asks)."""
    from botocore.config import Config  # only an installation on an object store needs botocore loaded

    key = (id(store), store.bucket_name, store.endpoint_url)
    cached = getattr(_probes, "client", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    quick = Config(connect_timeout=PROBE_TIMEOUT, read_timeout=PROBE_TIMEOUT, retries={"total_max_attempts": 1})
    client = store._create_session().client(
        "s3",
        region_name=store.region_name,
        use_ssl=store.use_ssl,
        endpoint_url=store.endpoint_url,
        config=store.client_config.merge(quick),
        verify=store.verify,
    )
    _probes.client = (key, client)
    return client


def _probe(store: Storage) -> None:
    """Ask the store about PROBE_KEY; raises when it does not answer."""
    from storages.backends.s3 import S3Storage

    if not isinstance(store, S3Storage):
        store.exists(PROBE_KEY)
        return
    from botocore.exceptions import ClientError

    try:
        _probe_client(store).head_object(Bucket=store.bucket_name, Key=store._normalize_name(PROBE_KEY))
    except ClientError as exc:
        if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 404:
            raise


def storage_status(*, storage: Storage | None = None) -> str:
    """ "ok" when the file store answers, else what went wrong in a few words: the kind of error and, from an
    object store, its error code; never a URL, a key or a message that could carry either."""
    store = storage or default_storage
    try:
        _probe(store)
    except Exception as exc:  # any failure to answer is the answer
        code = getattr(exc, "response", {}).get("Error", {}).get("Code") if hasattr(exc, "response") else None
        return f"{type(exc).__name__} ({code})" if code else type(exc).__name__
    return "ok"
