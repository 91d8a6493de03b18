"""Issue 11, item 11: what an unauthenticated upload can cost is bounded — pixels before decoding, and how many
images one process decodes at once."""
import io
import threading

import pytest
from PIL import Image

import images
from citizen.reports.photos import PhotosBusy, clean_photo
from errors import Invalid


def _png(width: int, height: int) -> bytes:
    """A tiny file that decodes to width×height pixels."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 30, 200)).save(out, "JPEG", quality=50)
    return out.getvalue()


def test_a_49_megapixel_png_is_refused_before_it_is_decoded():
    raw = _png(7000, 7000)
    assert len(raw) < 1_000_000  # small on the wire, 196 MB once decoded
    with pytest.raises(Invalid, match="像素太多"):
        clean_photo(raw)


def test_a_big_phone_jpeg_still_goes_through_at_a_reduced_scale():
    photo = clean_photo(_jpeg(6000, 4500))  # 27 MP: JPEG decodes at 1/4 scale
    assert max(photo.width, photo.height) == 1600


def test_only_two_images_decode_at_once_in_a_process_and_the_rest_give_up_with_a_busy_answer(monkeypatch):
    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.2)
    held = [images._decoding.acquire(timeout=1) for _ in range(images.CONCURRENT_DECODES)]
    try:
        assert all(held)
        with pytest.raises(PhotosBusy) as busy:
            clean_photo(_jpeg(800, 600))
        assert busy.value.status == 503 and "文字还在" in busy.value.message
    finally:
        for _ in held:
            images._decoding.release()
    assert clean_photo(_jpeg(800, 600)).width == 800  # slots free again


def test_parallel_decodes_never_exceed_the_slots(monkeypatch):
    running, most, lock = [0], [0], threading.Lock()
    real = images._clean

    def counting(*args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(images, "_clean", counting)
    raw = _jpeg(3000, 2000)
    threads = [threading.Thread(target=clean_photo, args=(raw,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] <= images.CONCURRENT_DECODES


def test_a_busy_decoder_keeps_what_the_villager_typed(client, demo, monkeypatch):
    from tests.citizen.conftest import form_token, jpeg_bytes

    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.1)
    token = form_token(client)
    held = [images._decoding.acquire(timeout=1) for _ in range(images.CONCURRENT_DECODES)]
    try:
        page = client.post("/v/hexi/report", content_type="multipart/form-data", data={
            "category": "其他", "content": "村口的路灯坏了一个月了，晚上看不见路。", "anonymous": "1",
            "form_token": token, "photos": [(io.BytesIO(jpeg_bytes()), "a.jpg")]})
    finally:
        for _ in held:
            images._decoding.release()
    assert page.status_code == 503
    assert "村口的路灯坏了一个月了" in page.get_data(as_text=True)
