"""Journey 1 → 3 → 4 in a phone: scan a board code, report with a photo, get the code, track it."""
import io
import re

from PIL import Image

BOARD = "河西村村委会公开栏"


def _photo() -> bytes:
    """A camera-sized JPEG (4000×3000, a few MB, GPS in its EXIF): the page shrinks it before upload."""
    image = Image.blend(Image.effect_noise((4000, 3000), 40).convert("RGB"),
                        Image.new("RGB", (4000, 3000), (90, 140, 60)), 0.5)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 5.5), 3: "E", 4: (121.0, 28.0, 9.25)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def _board_code(phone) -> str:
    """The demo board code of 河西村, found through the staff API."""
    login = phone.request.post(phone.base + "/api/v1/auth/login",
                               data={"phone": "13900000001", "password": "demo-township"})
    token = login.json()["token"]
    codes = phone.request.get(phone.base + "/api/v1/villages/hexi/codes?per_page=100",
                              headers={"Authorization": f"Bearer {token}"}).json()["items"]
    return next(c["code"] for c in codes if c["label"] == BOARD)


def test_scan_report_with_photo_and_track(phone):
    code = _board_code(phone)
    phone.context.clear_cookies()
    phone.goto(phone.base + f"/q/{code}")
    assert phone.url.endswith("/v/hexi")
    assert phone.inner_text("#village-name") == "河西村"
    assert BOARD in phone.inner_text("#scan-label")
    phone.shot("reports-scan-landing")

    phone.click("text=一键监督")
    phone.wait_for_url("**/v/hexi/report")
    phone.click("label.chip:has-text('环境卫生')")
    phone.fill("#content", "村东头垃圾池半个月没有清运，味道很大，请尽快处理。")
    photo = _photo()
    phone.set_input_files("#photos", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    assert "已选1张" in phone.inner_text("#photo-count")
    phone.shot("reports-form-filled")
    with phone.expect_request(lambda r: r.method == "POST" and r.url.endswith("/v/hexi/report")) as sent:
        phone.click("#submit-report")
    phone.wait_for_url("**/v/hexi/report/done")
    sent_bytes = int(sent.value.all_headers().get("content-length", "0"))
    assert 0 < sent_bytes < len(photo) / 2, sent_bytes  # shrunk in the phone before upload
    tracking = phone.inner_text("#tracking-code").strip()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", tracking)
    phone.shot("reports-code-shown")

    phone.reload()  # WeChat reloads pages on low-memory phones: the code is still there for a few minutes
    assert phone.inner_text("#tracking-code").strip() == tracking

    phone.goto(phone.base + "/track")
    phone.fill("#code", tracking.lower())
    phone.click("button[type=submit]")
    phone.wait_for_url("**/t/**")
    assert phone.inner_text("#case-status") == "已提交"
    assert "垃圾池" in phone.inner_text("main")
    thumb = phone.locator("img.thumb").first
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    phone.shot("reports-track")


def test_township_staff_make_a_code_and_print_its_poster(phone):
    from tests.e2e.conftest import login_with_password

    login_with_password(phone, phone.base, "13900000001", "demo-township")
    phone.goto(phone.base + "/staff/codes?village=hexi")
    phone.select_option("#target", "village")
    phone.fill("#label", "河西村卫生室门口")
    phone.click("button:has-text('生成二维码')")
    phone.wait_for_url("**made=**")
    notice = phone.inner_text(".notice--ok")
    code = re.search(r"已生成二维码 ([A-Z2-9]{10})", notice).group(1)
    row = phone.locator(f"#code-{code}")
    assert row.locator("input[name=label]").input_value() == "河西村卫生室门口"
    phone.shot("reports-codes-page")
    with phone.expect_download() as download:
        row.locator("text=PNG").click()
    import zxingcpp

    image = Image.open(download.value.path())
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [f"{phone.base}/q/{code}"]
