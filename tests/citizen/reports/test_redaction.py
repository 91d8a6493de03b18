"""Masking of phone, ID and bank numbers; ordinary numbers stay as written."""
import pytest

from citizen.reports.redaction import redact


@pytest.mark.parametrize("raw, masked", [
    ("电话13800010001", "电话138****0001"),
    ("请打 138 0001 0001 找他", "请打 138****0001 找他"),
    ("手机：+86 186-1234-5678。", "手机：186****5678。"),
    ("身份证号11010519491231002X", "身份证号110***********002X"),
    ("身份证 440301199001011234，", "身份证 440***********1234，"),
    ("卡号6222021234567890123", "卡号6222***********0123"),
    ("卡号 6217 0000 1234 5678 ", "卡号 6217 **** **** 5678 "),
    ("账户6228480402564890018打钱", "账户6228***********0018打钱"),
])
def test_masks_real_looking_numbers(raw, masked):
    assert redact(raw) == masked


@pytest.mark.parametrize("text", [
    "购入档案柜1套 支出1040元",
    "2026年10月3日开会，到会35人",
    "合同编号20261003001，金额128000元",
    "面积12345678平方米",
    "座机0571-88881234",
    "订单号123456789012345",  # 15 digits: not a card, not an ID
    "版本v13800138000x",  # glued to letters: a code, not a phone
    "共计1.3800138000亿",
    "增长0.13800138000",
])
def test_leaves_ordinary_numbers_alone(text):
    assert redact(text) == text


def test_masking_is_idempotent_and_handles_empty():
    once = redact("电话13800010001，卡号6222021234567890123")
    assert redact(once) == once
    assert redact(None) == "" and redact("") == ""


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.conftest import examples  # noqa: E402

CHINESE = st.text(alphabet="村里的钱账目修路补贴元年月日号，。：", max_size=12)


@settings(max_examples=examples(200), deadline=None)
@given(before=CHINESE, after=CHINESE, second=st.sampled_from("3456789"), rest=st.from_regex(r"\A\d{9}\Z"))
def test_any_mobile_number_in_chinese_text_is_masked(before, after, second, rest):
    number = "1" + second + rest
    masked = redact(before + number + after)
    assert number not in masked and masked == before + number[:3] + "****" + number[-4:] + after


@settings(max_examples=examples(200), deadline=None)
@given(text=st.text(alphabet="0123456789村元年月日 ，.", max_size=40))
def test_digit_runs_shorter_than_eleven_are_never_touched(text):
    import re

    if all(len(run) < 11 for run in re.findall(r"\d+", text)) and not re.search(r"\d[ -]\d", text):
        assert redact(text) == text
