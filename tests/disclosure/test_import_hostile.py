"""Hostile uploads to the finance import: damaged UTF-16 text and small workbooks that unpack into bombs.

Each must get a Chinese 413 or 422 that says what to fix, quickly, and change nothing.
"""
import io

import pytest

from disclosure import workbook_limits
from disclosure.importing import import_lines, read_upload
from disclosure.publishing import draft_of
from disclosure.receipt import lines_of
from errors import DomainError
from tests.disclosure import bombs
from tests.disclosure.test_import import GOOD, HEADER, xlsx

UTF16_HEADER = ",".join(HEADER[:5]) + "\n2026-10-03,支出,10,其他,电费\n"
# The exact inputs that crashed: a UTF-16 byte-order mark, then an odd number of bytes.
ODD_UTF16 = [
    b"\xff\xfe" + UTF16_HEADER.encode("utf-16-le") + b"\x00",
    b"\xfe\xff" + UTF16_HEADER.encode("utf-16-be")[:-1],
    b"\xff\xfe\x00",
]


@pytest.fixture
def draft(hexi, make_finance):
    """An unpublished finance disclosure with no lines yet."""
    return make_finance(hexi, lines=[], published=False)


@pytest.mark.parametrize("data", ODD_UTF16, ids=["le-text-plus-one", "be-text-minus-one", "le-one-byte"])
def test_utf16_csv_of_odd_length_gets_a_clear_422(data):
    assert len(data) % 2 == 1
    with pytest.raises(DomainError) as caught:
        read_upload("十月.csv", data)
    assert caught.value.status == 422 and caught.value.code == "bad_encoding"
    assert "UTF-16" in caught.value.message and "另存为" in caught.value.message


def test_whole_utf16_csv_still_imports(draft, people):
    assert import_lines(draft, people, "十月.csv", b"\xff\xfe" + UTF16_HEADER.encode("utf-16-le")) == 1


def test_odd_utf16_upload_through_the_api_is_422_json(client, people, token_for, draft):
    response = client.post(f"/api/v1/disclosures/{draft.id}/lines/import", headers=token_for(people["clerk"]),
                           data={"file": (io.BytesIO(ODD_UTF16[0]), "十月.csv")})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "bad_encoding"


BOMBS = {
    # name: (maker, status, code, words the message must carry)
    "20 million unnumbered blank rows": (lambda: bombs.blank_rows_workbook(20_000_000, numbered=False),
                                         413, "too_large", "解压后超过30MB"),
    "2 million shared strings": (lambda: bombs.shared_strings_workbook(2_000_000), 413, "too_large", "解压后超过30MB"),
    "17 MB of shared strings in a small total": (lambda: bombs.shared_strings_workbook(600_000),
                                                413, "too_large", "sharedStrings"),
    "one row of 600,000 cells": (lambda: bombs.wide_row_workbook(600_000), 413, "too_large", "有一行超过256KB"),
    "20,000 numbered blank rows": (lambda: bombs.blank_rows_workbook(20_000), 422, "too_many_blank_rows", "空行太多"),
    "a row numbered 1,000,000": (lambda: bombs.far_row_workbook(1_000_000), 422, "too_many_blank_rows", "删除"),
}


@pytest.mark.parametrize("name", BOMBS)
def test_workbook_bombs_are_refused_with_what_to_fix(name):
    maker, status, code, words = BOMBS[name]
    data = maker()
    assert len(data) < 1_000_000  # small on the wire: the danger is only in unpacking
    with pytest.raises(DomainError) as caught:
        read_upload("十月.xlsx", data)
    assert (caught.value.status, caught.value.code) == (status, code)
    assert words in caught.value.message


def test_bomb_upload_through_the_api_changes_nothing(client, people, token_for, hexi, make_finance):
    disclosure = make_finance(hexi, "2030-04", published=False)
    before = [(line.text, line.amount_fen) for line in lines_of(draft_of(disclosure))]
    response = client.post(f"/api/v1/disclosures/{disclosure.id}/lines/import", headers=token_for(people["clerk"]),
                           data={"file": (io.BytesIO(bombs.blank_rows_workbook(20_000_000, numbered=False)),
                                          "十月.xlsx")})
    assert response.status_code == 413 and "解压后" in response.get_json()["error"]["message"]
    assert [(line.text, line.amount_fen) for line in lines_of(draft_of(disclosure))] == before


def test_some_blank_rows_and_a_far_row_number_still_import(draft, people):
    assert import_lines(draft, people, "a.xlsx", bombs.blank_rows_workbook(5_000)) == 1
    assert import_lines(draft, people, "b.xlsx", bombs.far_row_workbook(9_000)) == 1


def test_a_real_5000_line_workbook_is_within_every_limit(draft, people):
    row = [GOOD[1][0], "收入", "20,000.00", "上级拨款", "镇财政拨付村级运转经费" * 3, "清溪镇财政所", "V002"]
    assert len(read_upload("a.xlsx", xlsx([row] * 5000))) == 5000


def test_reading_stops_at_the_time_budget(monkeypatch):
    monkeypatch.setattr(workbook_limits, "IMPORT_SECONDS", -1.0)
    with pytest.raises(DomainError) as caught:
        read_upload("a.xlsx", xlsx(GOOD))
    assert caught.value.status == 422 and caught.value.code == "too_slow" and "另存为" in caught.value.message


def test_csv_of_millions_of_blank_lines_is_refused():
    data = (",".join(HEADER[:5]) + "\n").encode() + b",,,,\n" * 1_000_000
    with pytest.raises(DomainError) as caught:
        read_upload("a.csv", data)
    assert caught.value.code == "too_many_blank_rows"


def test_damaged_deflate_in_a_worksheet_is_the_damaged_file_answer():
    data = bytearray(bombs.blank_rows_workbook(200_000))
    middle = len(data) // 2
    data[middle:middle + 64] = b"\xff" * 64
    with pytest.raises(DomainError) as caught:
        read_upload("a.xlsx", bytes(data))
    assert caught.value.code == "wrong_type" and "已损坏" in caught.value.message
