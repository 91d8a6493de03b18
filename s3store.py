"""Uploads in an S3-compatible object store (MinIO, Ceph, a cloud's object storage), behind storage.py's interface.

`UPLOAD_STORE=s3://bucket/prefix` turns it on; `S3_ENDPOINT_URL` names the server (empty for AWS itself),
`S3_REGION` its region, and boto3 finds the keys as usual (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`).
Every app node then reads and writes the same files, so any node can serve any photo.

The local store's two steps are kept: a file is uploaded under `<prefix>staged/` first and copied to
its key when the request commits (a server-side copy, then the staged object goes), so a request that
fails leaves nothing readable, and a crash leaves only staged objects, which `remove_orphans` clears.
One difference: an object's Last-Modified is the server's time to the second and cannot be set, where
the local store keeps files' times only to the minute; keep the bucket readable by the app's key alone.
"""
import logging
import secrets
import threading
from datetime import datetime, timedelta, timezone

log = logging.getLogger(__name__)
_clients: dict[tuple, object] = {}
_lock = threading.Lock()


def client_for(endpoint: str | None, region: str | None):
    """One boto3 S3 client per endpoint and region for the process (they are thread-safe and slow to make)."""
    with _lock:
        key = (endpoint, region)
        if key not in _clients:
            import boto3
            from botocore.config import Config

            _clients[key] = boto3.client("s3", endpoint_url=endpoint or None, region_name=region or None,
                                         config=Config(retries={"max_attempts": 3, "mode": "standard"},
                                                       s3={"addressing_style": "path"}))
        return _clients[key]


def parse_location(location: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` → ("bucket", "some/prefix/")."""
    rest = location[len("s3://"):]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise ValueError("UPLOAD_STORE needs a bucket: s3://bucket/prefix")
    return bucket, (prefix.strip("/") + "/") if prefix.strip("/") else ""


class S3Store:
    """Files as objects under `prefix` in `bucket`, under random names; the same methods as storage.LocalStore."""

    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _name(self, key: str, staged: bool = False) -> str:
        """The object name of a key (keys are our own random names, checked anyway)."""
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError("bad storage key")
        return f"{self.prefix}{'staged/' if staged else ''}{key}"

    def stage(self, data: bytes, suffix: str = ".jpg") -> str:
        """Upload bytes as a staged object; return the key they will have once published."""
        key = secrets.token_hex(16) + suffix
        self.client.put_object(Bucket=self.bucket, Key=self._name(key, staged=True), Body=data,
                               ContentType="image/jpeg" if suffix == ".jpg" else "application/octet-stream")
        return key

    def publish(self, key: str) -> None:
        """Copy a staged object to its key on the server, then remove the staged one."""
        self.client.copy_object(Bucket=self.bucket, Key=self._name(key),
                                CopySource={"Bucket": self.bucket, "Key": self._name(key, staged=True)})
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key, staged=True))

    def discard(self, key: str) -> None:
        """Remove a key's object, staged or published (deleting what is not there is no error in S3)."""
        self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": [
            {"Key": self._name(key)}, {"Key": self._name(key, staged=True)}], "Quiet": True})

    def read(self, key: str) -> bytes:
        """A published object's bytes (FileNotFoundError if missing, like the local store)."""
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                raise FileNotFoundError(key) from None
            raise

    def exists(self, key: str) -> bool:
        """Whether a published object is there."""
        try:
            self.read(key)
        except FileNotFoundError:
            return False
        return True

    def remove_orphans(self, older_than_seconds: float) -> int:
        """Delete staged objects older than this: uploads of requests that died before they committed."""
        cutoff = datetime.now(timezone.utc) - timedelta(seconds=older_than_seconds)
        removed = 0
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=f"{self.prefix}staged/")
        for page in pages:
            old = [{"Key": item["Key"]} for item in page.get("Contents", []) if item["LastModified"] < cutoff]
            if old:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": old, "Quiet": True})
                removed += len(old)
        return removed
