"""Spreadsheet import with real files: .xlsx made by openpyxl, GBK and UTF-8 CSVs, encrypted workbooks."""
import io
from datetime import date, datetime

import pytest
from hypothesis import given, settings, strategies as st
from openpyxl import Workbook

from disclosure.importing import MAX_ROWS, TooLarge, UnsupportedFile, import_lines, read_upload
from disclosure.publishing import draft_of
from disclosure.receipt import lines_of
from disclosure.sheet_template import template_csv, template_xlsx
from errors import Invalid
from tests.conftest import examples

HEADER = ["日期", "收支", "金额(元)", "类别", "摘要", "对方", "凭证号"]
GOOD = [
    [datetime(2026, 10, 3), "支出", 1040, "办公费", "购入档案柜1套", "县城办公家具店", "V001"],
    ["2026/10/5", "收入", "20,000.00", "上级拨款", "镇财政拨付村级运转经费", "清溪镇财政所", "V002"],
    ["2026年10月8日", "支出", "￥350.5", "办公费", "购入打印纸10包", "镇文具店", 3],
]


def xlsx(rows, header=HEADER) -> bytes:
    """A real workbook, as Excel would save it."""
    book = Workbook()
    sheet = book.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8", header=HEADER) -> bytes:
    """A CSV in the given encoding."""
    text = "\n".join(",".join(str(c) for c in row) for row in ([header] if header else []) + rows) + "\n"
    return text.encode(encoding)


@pytest.fixture
def draft(hexi, make_finance):
    """An unpublished finance disclosure with no lines yet."""
    return make_finance(hexi, lines=[], published=False)


def test_xlsx_with_date_cells_and_messy_amounts_imports_every_row(draft, people):
    assert import_lines(draft, people["clerk"], "十月.xlsx", xlsx(GOOD)) == 3
    lines = lines_of(draft_of(draft))
    assert [(l.date, l.direction, l.amount_fen, l.voucher) for l in lines] == [
        (date(2026, 10, 3), "expense", 104000, "V001"), (date(2026, 10, 5), "income", 2000000, "V002"),
        (date(2026, 10, 8), "expense", 35050, "3")]


def test_xlsx_date_cell_stored_as_a_number_is_read_as_excel_days(draft, people):
    import_lines(draft, people["clerk"], "a.xlsx", xlsx([[46298, "支出", 10, "其他", "电费", "", ""]]))
    assert lines_of(draft_of(draft))[0].date == date(2026, 10, 3)


def test_gbk_csv_from_chinese_excel_is_detected_and_imported(draft, people):
    data = csv_bytes([[r if not isinstance(r, datetime) else "2026-10-03" for r in GOOD[0]]], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert import_lines(draft, people["clerk"], "十月.csv", data) == 1
    assert lines_of(draft_of(draft))[0].text == "购入档案柜1套"


def test_utf8_csv_with_bom_and_quoted_thousands_imports(draft, people):
    data = "\ufeff日期,收支,金额(元),类别,摘要\n2026-10-03,支出,\"1,040.00\",办公费,购入档案柜1套\n".encode("utf-8")
    assert import_lines(draft, people["clerk"], "a.csv", data) == 1
    assert lines_of(draft_of(draft))[0].amount_fen == 104000


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(draft, people):
    import_lines(draft, people["clerk"], "first.xlsx", xlsx(GOOD[:1]))
    rows = GOOD + [["2026-10-09", "支", "abc", "烟酒", "", "", ""], ["2026-02-30", "收入", "10", "其他", "利息", "", ""]]
    with pytest.raises(Invalid) as caught:
        import_lines(draft, people["clerk"], "bad.xlsx", xlsx(rows))
    found = {(r["row"], r["field"]) for r in caught.value.extra["rows"]}
    assert found == {(5, "amount"), (5, "category"), (5, "text"), (6, "date")}
    assert "一笔也没有保存" in caught.value.message
    messages = {r["column"]: r["message"] for r in caught.value.extra["rows"] if r["row"] == 5}
    assert "金额“abc”看不懂" in messages["金额(元)"] and "可选：办公费" in messages["类别"]
    assert [l.text for l in lines_of(draft_of(draft))] == ["购入档案柜1套"]  # the earlier import is untouched


def test_encrypted_workbook_gets_a_clear_answer(draft, people):
    import msoffcrypto.format.ooxml

    encrypted = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(xlsx(GOOD))).encrypt("mima123", encrypted)
    with pytest.raises(UnsupportedFile) as caught:
        import_lines(draft, people["clerk"], "加密.xlsx", encrypted.getvalue())
    assert caught.value.code == "encrypted_file" and "设置了密码" in caught.value.message


@pytest.mark.parametrize("name, data, code", [
    ("空.csv", b"", "empty_file"),
    ("空.xlsx", xlsx([], header=None), "empty_file"),
    ("只有表头.xlsx", xlsx([]), "empty_file"),
    ("照片.xlsx", b"\xff\xd8\xff\xe0" + b"\0" * 100, "wrong_type"),
    ("坏的.xlsx", b"PK\x03\x04not really a zip", "wrong_type"),
    ("文档.pdf", b"%PDF-1.7\n...", "wrong_type"),
    ("旧版.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old_excel"),
])
def test_files_we_cannot_read_get_a_clear_answer(draft, name, data, code, people):
    with pytest.raises(UnsupportedFile) as caught:
        import_lines(draft, people["clerk"], name, data)
    assert caught.value.code == code and caught.value.message


def test_missing_columns_are_named(draft, people):
    with pytest.raises(Invalid) as caught:
        import_lines(draft, people["clerk"], "a.csv", csv_bytes([["2026-10-03", "支出", "5"]], header=["日期", "收支", "金额"]))
    assert caught.value.code == "missing_header"


def test_limits_on_rows_and_size(draft, people):
    too_many = csv_bytes([["2026-10-03", "支出", "1", "其他", "电费"]] * (MAX_ROWS + 1), header=HEADER[:5])
    with pytest.raises(Invalid, match="最多导入5000行"):
        import_lines(draft, people["clerk"], "big.csv", too_many)
    with pytest.raises(TooLarge):
        read_upload("huge.csv", b"a" * (5 * 1024 * 1024 + 1))


def test_blank_rows_are_skipped_and_row_numbers_stay_true(draft, people):
    rows = [GOOD[0], [None] * 7, ["2026-10-04", "支出", "x", "其他", "电费", "", ""]]
    with pytest.raises(Invalid) as caught:
        import_lines(draft, people["clerk"], "a.xlsx", xlsx(rows))
    assert [r["row"] for r in caught.value.extra["rows"]] == [4]


def test_both_templates_import_cleanly_as_downloaded(draft, people):
    assert import_lines(draft, people["clerk"], "模板.xlsx", template_xlsx(["办公费", "其他"])) == 1
    assert import_lines(draft, people["clerk"], "模板.csv", template_csv()) == 1
    assert lines_of(draft_of(draft))[0].amount_fen == 104000


@settings(max_examples=examples(150), deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
def test_any_bytes_get_rows_or_a_clear_refusal_never_a_crash(data, name):
    from errors import DomainError

    try:
        rows = read_upload(name, data)
    except DomainError as exc:
        assert exc.message
    else:
        assert all(isinstance(number, int) and isinstance(raw, dict) for number, raw in rows)


@settings(max_examples=examples(40), deadline=None)
@given(st.binary(min_size=1, max_size=400))
def test_damaged_workbooks_are_refused_clearly(noise):
    from errors import DomainError

    data = bytearray(xlsx(GOOD))
    position = len(data) // 3
    data[position:position + len(noise)] = noise
    try:
        read_upload("a.xlsx", bytes(data))
    except DomainError as exc:
        assert exc.message
