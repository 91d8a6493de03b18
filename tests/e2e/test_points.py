"""积分 in a phone: the villager scans the shop's code, pays 20 points on the pad and sees the 4-digit number;
the shop keeper's page, already open at the counter, shows the same number without a reload."""
import re

import pytest

from tests.e2e.conftest import ARTIFACTS, login_with_password

pytestmark = pytest.mark.e2e


def _login_villager(page, base: str, phone_number: str, next_path: str) -> None:
    """The villager's SMS-code login, reading the code from the development outbox."""
    page.goto(f"{base}/login/sms?next={next_path}")
    page.fill("input[name=phone]", phone_number)
    page.click("button[type=submit]")
    page.wait_for_url("**/login/sms/verify**")
    outbox = page.context.new_page()
    outbox.goto(base + "/dev/sms")
    code = outbox.inner_text("main").split("验证码是")[-1][:6]
    outbox.close()
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_villager_redeems_twenty_points_and_the_shop_sees_the_number(phone, browser, browser_context_args):
    counter = browser.new_context(**browser_context_args).new_page()
    login_with_password(counter, phone.base, "13900000201", "demo-shop")
    counter.goto(phone.base + "/shop")
    assert "河西早餐店" in counter.inner_text("h1")

    phone.goto(phone.base + "/pay/HXZC01")  # where the counter's QR code leads
    assert phone.inner_text("#shop-name") == "河西早餐店" and "河西村" in phone.inner_text("#shop-village")
    phone.click("text=登录后用积分")
    _login_villager(phone, phone.base, "13900000101", "/pay/HXZC01")
    assert phone.url.endswith("/pay/HXZC01")
    before = int(phone.inner_text("#balance"))
    assert before >= 20
    phone.click("[data-key='2']")
    phone.click("[data-key='0']")
    assert phone.input_value("#points") == "20"
    phone.shot("points-pay")
    phone.click("#confirm")
    phone.wait_for_url(re.compile(r".*/pay/HXZC01/ok/\d+$"))
    number = phone.inner_text("#confirmation").strip()
    assert re.fullmatch(r"\d{4}", number)
    assert f"剩余 {before - 20} 分" in phone.inner_text("main")
    phone.shot("points-confirmation")

    phone.go_back()  # WeChat's back button: the form page again, with a fresh key; nothing is resent
    phone.goto(phone.base + "/me/points")
    assert phone.inner_text("#balance") == str(before - 20)
    assert "河西早餐店" in phone.inner_text("#history")

    counter.wait_for_selector(f"#today-list >> text={number}", timeout=15000)  # the page polls; no reload
    assert "20 分" in counter.inner_text("#today-list")
    counter.screenshot(path=str(ARTIFACTS / "points-shop.png"), full_page=True)
    counter.context.close()


def test_township_staff_sees_shops_statements_and_rules(phone):
    login_with_password(phone, phone.base, "13900000001", "demo-township")
    phone.goto(phone.base + "/township/points")
    text = phone.inner_text("main")
    for words in ("河西早餐店", "河西便民超市", "岔马理发店", "实名举报被受理", "兑换比例"):
        assert words in text
    assert "待付款" in text  # last month's statements are open in the demo
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # wide tables scroll inside their box
    phone.shot("points-township")
