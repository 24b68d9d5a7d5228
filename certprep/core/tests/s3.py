"""An S3-compatible object store for a test: moto's server on 127.0.0.1 (a real HTTP server in a thread, on a
free port), one new private bucket, and certprep's default storage pointed at it through the same
CERTPREP_S3_* settings production reads (config.settings.s3_storage). Nothing of boto3 is mocked: the
storage and the test's own client talk HTTP to the server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from config.settings import s3_storage

REGION = "eu-west-1"
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


@dataclass
class ObjectStore:
    server: ThreadedMotoServer
    client: Any
    bucket: str
    prefix: str
    environ: dict[str, str]

    def keys(self, under: str = "") -> list[str]:
        """Every key in the bucket below `under` (a folder of certprep's, inside the prefix)."""
        prefix = f"{self.prefix}/{under}".rstrip("/") + ("/" if under else "")
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def public_grants(self, name: str) -> list[dict[str, Any]]:
        acl = self.client.get_object_acl(Bucket=self.bucket, Key=self.key(name))
        return [grant for grant in acl["Grants"] if grant["Grantee"].get("URI") in PUBLIC_GROUPS]

    def stop(self) -> None:
        """Stop answering: the listening socket is closed too, so a client is refused at once."""
        self.server.stop()
        self.server._server.server_close()  # type: ignore[union-attr]  # moto's stop() leaves it listening


@contextmanager
def running_store(settings: Any) -> Iterator[ObjectStore]:
    """For a test module's fixture: `with running_store(settings) as store: yield store` (pytest-django's
    `settings`, so the storage goes back to the local folder after the test)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    bucket = f"certprep-{uuid.uuid4().hex[:12]}"
    environ = {
        "CERTPREP_S3_BUCKET": bucket,
        "CERTPREP_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "CERTPREP_S3_REGION": REGION,
        "CERTPREP_S3_ACCESS_KEY_ID": "test-access-key",
        "CERTPREP_S3_SECRET_ACCESS_KEY": "test-secret-key-not-to-be-shown",
        "CERTPREP_S3_PREFIX": "tenant-a/",
        "CERTPREP_S3_ADDRESSING_STYLE": "path",
    }
    client = boto3.client(
        "s3",
        endpoint_url=environ["CERTPREP_S3_ENDPOINT_URL"],
        region_name=REGION,
        aws_access_key_id=environ["CERTPREP_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=environ["CERTPREP_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(environ)}
    store = ObjectStore(server=server, client=client, bucket=bucket, prefix="tenant-a", environ=environ)
    try:
        yield store
    finally:
        server.stop()
