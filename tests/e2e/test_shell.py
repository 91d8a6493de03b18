"""The shell in a phone: committee head logs in, opens the village home, switches to 大字; sizes are measured."""
from pathlib import Path

from tests.e2e.conftest import login_with_password

MEASURE = (Path(__file__).parent / "measure.js").read_text()


def _check_readable(metrics: dict, min_text: float, min_button: float, min_main: float) -> None:
    """Assert the measurable 适老化 rules on one page."""
    assert metrics["pageWidth"] <= 360, "page scrolls sideways on a 360 px phone"
    assert metrics["bodySize"] >= min_text
    small = [t for t in metrics["texts"] if t["size"] < min_text * 0.8]  # tab labels may be smaller, not tiny
    assert not small, small[:5]
    body_texts = [t for t in metrics["texts"] if t["tag"] in ("P", "A", "SPAN", "DIV", "H1", "H2", "LABEL")]
    assert body_texts and all(t["lineHeight"] >= 1.3 for t in body_texts), [t for t in body_texts if t["lineHeight"] < 1.3][:5]
    low = [t for t in metrics["texts"] if t["contrast"] < (3.0 if t["size"] >= 24 else 4.5)]
    assert not low, low[:5]
    assert all(b["height"] >= min_button for b in metrics["buttons"]), metrics["buttons"]
    assert all(b["height"] >= min_main for b in metrics["buttons"] if b["main"]), metrics["buttons"]


def test_committee_head_logs_in_and_village_home_meets_large_text_rules(phone):
    login_with_password(phone, phone.base, "13900000012", "demo-committee")
    assert "李秀英" in phone.inner_text("h1")  # the staff home greets the committee head
    phone.shot("staff-home")

    phone.goto(phone.base + "/v/hexi")
    assert phone.inner_text("#village-name") == "河西村"
    for entry in ("三务公开", "一键监督", "回音壁"):
        assert entry in phone.inner_text("main")
    assert phone.get_attribute("body", "data-weui-mode") == "care"
    assert "user-scalable" not in (phone.get_attribute("meta[name=viewport]", "content") or "")
    _check_readable(phone.evaluate(MEASURE), min_text=18, min_button=44, min_main=44)
    phone.shot("village-home")

    phone.click("#text-size-toggle")
    phone.wait_for_load_state()
    assert phone.url.endswith("/v/hexi")
    metrics = phone.evaluate(MEASURE)
    assert metrics["bodySize"] >= 22
    _check_readable(metrics, min_text=22, min_button=44, min_main=60)
    phone.shot("village-home-big-text")

    phone.goto(phone.base + "/")  # the choice is remembered on the next page
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 22


def test_unknown_village_shows_chinese_404_page(phone):
    response = phone.goto(phone.base + "/v/no-such-village")
    assert response.status == 404
    assert "没有找到这个村" in phone.inner_text("body")
    phone.shot("village-404")


def test_villager_logs_in_with_sms_code_from_dev_outbox(phone):
    phone.goto(phone.base + "/login/sms")
    phone.fill("input[name=phone]", "13900000101")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/login/sms/verify**")
    outbox = phone.context.new_page()
    outbox.goto(phone.base + "/dev/sms")
    text = outbox.inner_text("main")
    code = next(part for part in text.split("验证码是")[1:2])[:6]
    outbox.close()
    phone.fill("input[name=code]", code)
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    assert phone.url.endswith("/v/hexi")  # a villager lands on their own village
    phone.goto(phone.base + "/me")
    assert "王大爷" in phone.inner_text("main")


def test_the_village_home_is_remembered_for_the_tab_bar_by_the_phone(phone):
    phone.goto(phone.base + "/v/chama")
    phone.goto(phone.base + "/me")
    assert phone.get_attribute(".weui-tabbar__item >> nth=2", "href") == "/v/chama/report"
