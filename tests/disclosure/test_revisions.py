"""A published disclosure is never silently changed: corrections are revisions, withdrawals keep the record."""
import pytest
import sqlalchemy as sa

from disclosure.models import Disclosure, FinanceLine, Revision
from disclosure.publishing import (add_lines, change_line, create_disclosure, current_revision, draft_of, publish,
                                   remove_line, start_correction, update_draft, withdraw)
from disclosure.receipt import lines_of
from disclosure.revisions import diff_lines
from errors import Conflict, Invalid
from tests.disclosure.conftest import raw_line


def L(text, amount, voucher="", day="2026-10-03"):
    """A line as a plain dict, for the diff."""
    return {"date": day, "direction": "expense", "amount_fen": amount, "category": "办公费", "text": text,
            "counterparty": "", "voucher": voucher}


def test_diff_finds_added_removed_and_changed_lines():
    old = [L("档案柜", 104000), L("打印纸", 35000), L("墨盒", 20000, voucher="V3")]
    new = [L("档案柜", 140000), L("墨盒", 20000, voucher="V3"), L("电费", 50000)]
    diff = diff_lines(old, new)
    assert [line["text"] for line in diff["added"]] == ["电费"]
    assert [line["text"] for line in diff["removed"]] == ["打印纸"]
    assert [(a["amount_fen"], b["amount_fen"], fields) for a, b, fields in diff["changed"]] == [
        (104000, 140000, ["amount_fen"])]


def test_diff_of_identical_lines_is_empty_even_with_duplicates():
    lines = [L("保洁工资", 300000), L("保洁工资", 300000)]
    assert diff_lines(lines, list(reversed(lines))) == {"added": [], "removed": [], "changed": []}


def test_diff_matches_a_line_by_voucher_when_its_words_change():
    diff = diff_lines([L("档案柜", 104000, voucher="V1")], [L("档案柜1套", 104000, voucher="V1")])
    assert diff["changed"][0][2] == ["text"]


def test_publish_then_correct_keeps_the_old_revision_untouched(hexi, make_finance, session, people):
    disclosure = make_finance(hexi)
    first = current_revision(disclosure)
    first_lines = [(line.id, line.amount_fen) for line in lines_of(first)]
    draft = start_correction(disclosure, people["clerk"])
    change_line(disclosure, people["clerk"], lines_of(draft)[0].id, raw_line(amount="1400"))
    add_lines(disclosure, people["clerk"], [raw_line("购入打印纸10包", "350")])
    publish(disclosure, people["clerk"], reason="档案柜金额按发票更正")
    assert disclosure.revision == 2 and disclosure.status == "published" and disclosure.corrected_at
    assert [(line.id, line.amount_fen) for line in lines_of(first)] == first_lines
    changes = current_revision(disclosure).changes
    assert (changes["added"], changes["removed"], changes["changed"]) == (1, 0, 1)
    assert "金额改动：购入档案柜1套 ¥1,040.00 → ¥1,400.00" in changes["items"]


def test_a_published_revision_cannot_be_edited_without_a_correction(hexi, make_finance, people):
    disclosure = make_finance(hexi)
    line_id = lines_of(current_revision(disclosure))[0].id
    for attempt in (lambda: update_draft(disclosure, people["clerk"], {"title": "改标题"}),
                    lambda: add_lines(disclosure, people["clerk"], [raw_line()]),
                    lambda: remove_line(disclosure, people["clerk"], line_id),
                    lambda: change_line(disclosure, people["clerk"], line_id, raw_line(amount="1"))):
        with pytest.raises(Conflict, match="更正"):
            attempt()


def test_correction_needs_a_reason_and_nothing_changes_without_one(hexi, make_finance, people):
    disclosure = make_finance(hexi)
    start_correction(disclosure, people["clerk"])
    with pytest.raises(Invalid) as caught:
        publish(disclosure, people["clerk"], reason=" ")
    assert caught.value.fields == {"reason": ["请写明更正原因。"]}
    assert disclosure.revision == 1 and draft_of(disclosure) is not None


def test_withdraw_keeps_the_disclosure_readable_with_its_reason(hexi, make_finance, people):
    disclosure = make_finance(hexi)
    withdraw(disclosure, people["clerk"], "期间填错，将重新公开")
    assert disclosure.status == "withdrawn" and disclosure.withdraw_reason == "期间填错，将重新公开"
    assert current_revision(disclosure).number == 1
    with pytest.raises(Conflict):
        start_correction(disclosure, people["clerk"])
    with pytest.raises(Invalid):
        withdraw(make_finance(hexi, "2026-09"), people["clerk"], "")


def test_finance_cannot_publish_without_lines(hexi, make_finance, people):
    disclosure = make_finance(hexi, lines=[], published=False)
    with pytest.raises(Invalid, match="至少要有一笔"):
        publish(disclosure, people["clerk"])
    assert disclosure.status == "draft"


def test_bad_lines_are_all_named_and_nothing_is_created(hexi, session, people):
    before = session.execute(sa.select(sa.func.count(Disclosure.id))).scalar_one()
    with pytest.raises(Invalid) as caught:
        create_disclosure(hexi, people["clerk"], {"category": "finance", "mode": "periodic", "period": "2026-10", "title": "十月",
                                        "lines": [raw_line(), raw_line(amount="abc"), raw_line(category="烟酒", day="")]})
    rows = caught.value.extra["rows"]
    assert {(r["row"], r["field"]) for r in rows} == {(2, "amount"), (3, "category"), (3, "date")}
    assert session.execute(sa.select(sa.func.count(Disclosure.id))).scalar_one() == before


@pytest.mark.parametrize("data, field", [
    ({"category": "party", "mode": "regular", "title": "", "body": "x"}, "title"),
    ({"category": "party", "mode": "periodic", "title": "党费", "body": "x"}, "period"),
    ({"category": "party", "mode": "often", "title": "党费", "body": "x"}, "mode"),
    ({"category": "affairs", "mode": "adhoc", "title": "通知", "body": ""}, "body"),
    ({"category": "affairs", "mode": "periodic", "title": "通知", "body": "x", "period": "十月"}, "period"),
])
def test_disclosure_fields_are_checked_with_chinese_messages(hexi, data, field, people):
    with pytest.raises(Invalid) as caught:
        create_disclosure(hexi, people["clerk"], data)
    assert field in caught.value.fields


def test_revisions_are_numbered_per_disclosure(hexi, make_finance, session, people):
    disclosure = make_finance(hexi)
    for reason in ("第一次更正", "第二次更正"):
        start_correction(disclosure, people["clerk"])
        publish(disclosure, people["clerk"], reason=reason)
    numbers = session.execute(sa.select(Revision.number).where(Revision.disclosure_id == disclosure.id)
                              .order_by(Revision.number)).scalars().all()
    assert numbers == [1, 2, 3]
    assert session.execute(sa.select(sa.func.count(FinanceLine.id)).join(Revision)
                           .where(Revision.disclosure_id == disclosure.id)).scalar_one() == 6
