"""boto3 adapter: the only place that talks to the object store."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from pipeline.config import Settings
from pipeline.errors import Rejected
from pipeline.ingest.core import StoredObject


def client(s: Settings):
    """A boto3 S3 client for the configured endpoint, credentials and CA bundle."""
    return boto3.client(
        "s3", endpoint_url=s.s3_endpoint, region_name=s.region,
        aws_access_key_id=s.aws_access_key_id,
        aws_secret_access_key=s.aws_secret_access_key.get_secret_value(),
        verify=str(s.s3_ca_bundle) if s.s3_ca_bundle else None,
        config=Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30),
    )


def list_objects(s3, bucket: str, prefix: str = "") -> Iterator[dict]:
    """Every object under the prefix, page by page."""
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        yield from page.get("Contents", [])


def head(s3, bucket: str, key: str) -> StoredObject:
    """The stored object's metadata (HEAD); Rejected `object_missing` when it is not there."""
    try:
        h = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NoSuchBucket"):
            raise Rejected("object_missing", "announced object not found") from None
        raise
    return StoredObject(
        bucket=bucket, key=key, etag=h["ETag"].strip('"'), size=h["ContentLength"],
        last_modified=h["LastModified"], version_id=h.get("VersionId"),
        content_type=h.get("ContentType"), metadata=h.get("Metadata", {}),
    )


def fetch(s3, bucket: str, key: str, etag: str, max_bytes: int) -> bytes:
    """Download the exact object the event names, refusing a different version or an oversized one."""
    try:
        resp = s3.get_object(Bucket=bucket, Key=key, IfMatch=etag)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404", "NoSuchBucket"):
            raise Rejected("object_missing", f"object not found ({code})") from None
        if code in ("PreconditionFailed", "412"):
            raise Rejected("object_changed", "object replaced since the event (etag differs)") from None
        raise
    if resp["ContentLength"] > max_bytes:
        resp["Body"].close()
        raise Rejected("audio_too_large", f"{resp['ContentLength']} bytes > {max_bytes}")
    return resp["Body"].read()
