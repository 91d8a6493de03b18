"""Uploads in an S3-compatible store: the store round-trips through moto's S3 server, and the site uses it."""
import io

import pytest
from PIL import Image

import s3store
from storage import Batch, commit_with, disclosure_store, photo_store
from tests.s3server import make_bucket, moto_server


@pytest.fixture(scope="module")
def endpoint():
    """moto's S3 server for this module, with a bucket `cunwu`."""
    with moto_server() as url:
        make_bucket(url, "cunwu")
        yield url


@pytest.fixture
def store(endpoint):
    """An S3Store under a prefix of the bucket."""
    return s3store.S3Store(s3store.client_for(endpoint, "us-east-1"), "cunwu", "unit/")


@pytest.fixture
def s3_app(app, endpoint):
    """The test app with its uploads in the bucket (for the length of one test)."""
    saved = {key: app.config.get(key) for key in ("UPLOAD_STORE", "S3_ENDPOINT_URL", "S3_REGION")}
    app.config.update(UPLOAD_STORE="s3://cunwu/site", S3_ENDPOINT_URL=endpoint, S3_REGION="us-east-1")
    yield app
    app.config.update(saved)


def _objects(store, prefix="") -> set[str]:
    """Names of the objects under the store's prefix."""
    listing = store.client.list_objects_v2(Bucket=store.bucket, Prefix=store.prefix + prefix)
    return {item["Key"][len(store.prefix):] for item in listing.get("Contents", [])}


def test_a_staged_file_is_unreadable_until_published_then_reads_back(store):
    key = store.stage(b"photo bytes")
    with pytest.raises(FileNotFoundError):
        store.read(key)
    assert _objects(store) == {f"staged/{key}"}
    store.publish(key)
    assert store.read(key) == b"photo bytes" and _objects(store, key) == {key}
    assert f"staged/{key}" not in _objects(store)
    store.discard(key)
    assert not store.exists(key)


def test_a_failed_commit_leaves_no_object(store, session, monkeypatch):
    batch = Batch(store)
    batch.stage(b"one")
    batch.stage(b"two")

    def refuse():
        raise RuntimeError("database went away")

    monkeypatch.setattr(session, "commit", refuse)
    with pytest.raises(RuntimeError):
        commit_with(batch)
    assert not any(store.exists(k) for k in batch.keys) and _objects(store, "staged/") == set()


def test_keys_that_are_not_ours_are_refused(store):
    for bad in ("", "../x", "a/b", ".hidden"):
        with pytest.raises(ValueError):
            store.read(bad)


def test_old_staged_uploads_are_swept(store):
    store.stage(b"left by a crash")
    assert store.remove_orphans(older_than_seconds=3600) == 0
    assert store.remove_orphans(older_than_seconds=-60) == 1
    assert _objects(store, "staged/") == set()


def test_the_site_stores_and_serves_report_photos_from_the_bucket(s3_app, client, demo, session):
    from citizen.reports.models import ReportPhoto

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(buffer, "JPEG")
    page = client.get("/v/hexi/report").get_data(as_text=True)
    import re

    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post("/v/hexi/report", content_type="multipart/form-data", data={
        "category": "工程项目", "content": "水泥标号不对，请派人来看看。", "anonymous": "1", "form_token": token,
        "photos": [(io.BytesIO(buffer.getvalue()), "IMG_0001.jpg")]})
    assert response.status_code == 302
    with s3_app.test_request_context():
        store = photo_store()
        assert isinstance(store, s3store.S3Store) and isinstance(disclosure_store(), s3store.S3Store)
        row = session.query(ReportPhoto).order_by(ReportPhoto.id.desc()).first()
        stored = store.read(row.storage_key)
    assert stored[:2] == b"\xff\xd8" and _objects(store, "staged/") == set()
