"""Amounts, dates and periods as clerks really type them."""
from datetime import date, datetime

import pytest
from hypothesis import given, strategies as st

from disclosure.amounts import AmountError, parse_amount, plain_yuan, yuan
from disclosure.dates import DateError, parse_date
from disclosure.periods import PeriodError, parse_period, period_label, previous_month, same_month_last_year


@pytest.mark.parametrize("text, fen", [
    ("1040", 104000), ("1,040.00", 104000), ("1040元", 104000), ("￥1040.5", 104050), ("¥ 1,040.05", 104005),
    ("１０４０", 104000), ("0.01", 1), (1040, 104000), (1040.5, 104050), (12345.67, 1234567), ("1234567.89", 123456789),
    (1234.5600000000001, 123456), (0.1 + 0.2, 30),
])
def test_parse_amount_accepts_what_clerks_type(text, fen):
    assert parse_amount(text) == fen


@pytest.mark.parametrize("text, words", [
    ("", "不能为空"), (None, "不能为空"), ("-5", "不能是负数"), ("abc", "看不懂"), ("1.234", "两位小数"), ("0", "不能是0"),
    ("1,04,0", "看不懂"), ("99999999999999", "太大"), ("12元5角", "看不懂"),
])
def test_parse_amount_refuses_with_a_chinese_reason(text, words):
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert words in str(caught.value)


@given(st.integers(min_value=1, max_value=10**12))
def test_yuan_text_reads_back_to_the_same_fen(fen):
    assert parse_amount(yuan(fen)) == fen
    assert parse_amount(plain_yuan(fen)) == fen


def test_yuan_formats_like_a_receipt():
    assert yuan(104000) == "¥1,040.00"
    assert yuan(5) == "¥0.05"
    assert yuan(-123456) == "-¥1,234.56"


@pytest.mark.parametrize("value", [
    "2026-10-03", "2026/10/3", "2026年10月3日", "2026.10.03", "20261003", "2026-10-03 00:00:00",
    datetime(2026, 10, 3, 0, 0), date(2026, 10, 3), 46298,
])
def test_parse_date_accepts_text_and_excel_cells(value):
    assert parse_date(value) == date(2026, 10, 3)


@pytest.mark.parametrize("value, words", [
    ("", "不能为空"), ("2026-13-01", "不存在"), ("2026-02-30", "不存在"), ("10/3/2026", "看不懂"), ("1999-01-01", "太早"),
    (5, "看不懂"),
])
def test_parse_date_refuses_with_a_chinese_reason(value, words):
    with pytest.raises(DateError) as caught:
        parse_date(value)
    assert words in str(caught.value)


def test_parse_date_refuses_a_date_far_in_the_future():
    with pytest.raises(DateError, match="还没到"):
        parse_date("2027-10-03", today=date(2026, 11, 1))


@pytest.mark.parametrize("text, key, label", [
    ("2026-10", "2026-10", "2026年10月"), ("2026年10月", "2026-10", "2026年10月"), ("2026年3月", "2026-03", "2026年3月"),
    ("2026-Q3", "2026-Q3", "2026年第三季度"), ("2026年第三季度", "2026-Q3", "2026年第三季度"), ("2026年", "2026", "2026年"),
    ("", "", ""),
])
def test_periods_normalise_and_label(text, key, label):
    assert parse_period(text) == key
    assert period_label(key) == label


def test_period_neighbours():
    assert previous_month("2026-01") == "2025-12"
    assert previous_month("2026-10") == "2026-09"
    assert same_month_last_year("2026-10") == "2025-10"


def test_parse_period_refuses_nonsense():
    with pytest.raises(PeriodError, match="看不懂"):
        parse_period("十月份")


@given(st.lists(st.tuples(st.sampled_from("甲乙丙丁"), st.integers(1, 5)), max_size=12),
       st.lists(st.tuples(st.sampled_from("甲乙丙丁戊"), st.integers(1, 5)), max_size=12))
def test_diff_accounts_for_every_line(old_pairs, new_pairs):
    from disclosure.revisions import diff_lines

    def line(text, amount):
        return {"date": "2026-10-01", "direction": "expense", "amount_fen": amount, "category": "其他", "text": text,
                "counterparty": "", "voucher": ""}

    old = [line(*p) for p in old_pairs]
    new = [line(*p) for p in new_pairs]
    diff = diff_lines(old, new)
    unchanged_new = len(new) - len(diff["added"]) - len(diff["changed"])
    unchanged_old = len(old) - len(diff["removed"]) - len(diff["changed"])
    assert unchanged_new == unchanged_old >= 0
    assert all(before["amount_fen"] != after["amount_fen"] for before, after, _ in diff["changed"])
    if old == new:
        assert diff == {"added": [], "removed": [], "changed": []}
