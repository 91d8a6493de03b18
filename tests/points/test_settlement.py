"""Settlement: a month's statement, its money to the fen, paid once, exports read back, reversal refused after."""
from datetime import datetime, timezone
from io import BytesIO

import pytest
from openpyxl import load_workbook

import clock
from errors import Conflict, Invalid
from points import ledger
from points.exports import month_summary_xlsx, safe_cell, statement_xlsx
from points.redemption import redeem, reverse_redemption
from points.rules import update_settings
from points.settlement import mark_paid, open_settlement, statements_of_month, yuan

OCT = datetime(2026, 10, 15, 2, 0, tzinfo=timezone.utc)
NOV = datetime(2026, 11, 3, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def october(session, demo, villager, other_villager, shop, give_points, people):
    """Three October redemptions at the breakfast shop, one of them reversed; then it is November."""
    update_settings(demo.township, {"rate_fen": 13, "max_redemptions_per_day": 10})
    give_points(villager, 100)
    give_points(other_villager, 100)
    clock.freeze(OCT)
    rows = [redeem(villager, shop, 17, "o1"), redeem(other_villager, shop, 29, "o2"), redeem(villager, shop, 3, "o3")]
    reverse_redemption(rows[2], people["township"], "多收了")
    clock.freeze(NOV)
    yield rows
    clock.freeze(None)


def test_statement_gathers_unsettled_points_at_the_rate_to_the_fen(session, demo, shop, october, people):
    s = open_settlement(shop, "2026-10", people["township"])
    assert (s.points, s.rate_fen, s.amount_fen, s.redemption_count, s.status) == (46, 13, 598, 2, "open")
    assert ledger.shop_account(shop).balance == 0
    assert ledger.township_account(demo.township, "settled").balance == 46
    assert yuan(s.amount_fen) == "5.98"


def test_a_month_that_has_not_ended_cannot_be_settled(session, shop, october, people):
    with pytest.raises(Conflict) as refused:
        open_settlement(shop, "2026-11", people["township"])
    assert refused.value.code == "month_not_over"


def test_bad_month_text_is_refused_in_chinese(session, shop, october, people):
    with pytest.raises(Invalid) as refused:
        open_settlement(shop, "2026-13", people["township"])
    assert refused.value.message == "月份格式不对，例如 2026-10。"


def test_a_month_is_settled_once(session, shop, october, people):
    open_settlement(shop, "2026-10", people["township"])
    with pytest.raises(Conflict):
        open_settlement(shop, "2026-10", people["township"])


def test_rate_is_copied_onto_the_statement(session, demo, shop, october, people):
    s = open_settlement(shop, "2026-10", people["township"])
    update_settings(demo.township, {"rate_fen": 50})
    assert (s.rate_fen, s.amount_fen) == (13, 598)


def test_paid_statement_never_changes(session, shop, october, people):
    s = open_settlement(shop, "2026-10", people["township"])
    with pytest.raises(Invalid):
        mark_paid(s, " ", people["township"])
    mark_paid(s, "BANK-001", people["township"])
    with pytest.raises(Conflict) as again:
        mark_paid(s, "BANK-002", people["township"])
    assert again.value.code == "already_paid" and s.reference == "BANK-001"


def test_settled_redemption_cannot_be_reversed(session, shop, october, villager, people):
    open_settlement(shop, "2026-10", people["township"])
    with pytest.raises(Conflict) as refused:
        reverse_redemption(october[0], people["township"], "晚了")
    assert refused.value.code == "already_settled" and ledger.balance_of(villager) == 83


def test_statement_xlsx_reads_back_with_totals_matching_the_ledger(session, shop, october, people):
    s = open_settlement(shop, "2026-10", people["township"])
    sheet = load_workbook(BytesIO(statement_xlsx(s))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(("时间", "确认号", "村民", "积分", "金额（分）", "金额（元）"))
    lines, total = rows[header + 1:-1], rows[-1]
    assert [line[3] for line in lines] == [17, 29]
    assert [line[4] for line in lines] == [221, 377]
    assert total[0] == "合计" and total[3] == 46 and total[4] == 598 == sum(line[4] for line in lines)
    assert total[5] == "5.98"


def test_month_summary_xlsx_totals(session, demo, shop, october, people):
    open_settlement(shop, "2026-10", people["township"])
    data = month_summary_xlsx("清溪镇", "2026-10", statements_of_month(demo.township.id, "2026-10"))
    rows = list(load_workbook(BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[-1][0] == "合计" and rows[-1][5] == 598 and rows[-1][6] == "5.98"


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"])
def test_cells_that_look_like_formulas_are_neutralised(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("河西早餐店") == "河西早餐店" and safe_cell(-5) == -5


@pytest.mark.parametrize("fen, text", [(0, "0.00"), (5, "0.05"), (100, "1.00"), (123456, "1234.56"), (-7, "-0.07")])
def test_yuan_is_exact_from_integer_fen(fen, text):
    assert yuan(fen) == text


def test_village_figures_count_issued_and_redeemed(session, demo, villager, shop):
    from points.earning import earn_finance_read
    from points.figures import village_points

    hexi, chama = demo.villages["hexi"].id, demo.villages["chama"].id
    before = village_points(demo.township.id)  # the demo's named reports have already earned some
    earn_finance_read(villager, hexi, "2026-10")
    redeem(villager, shop, 1, "fig")
    figures = village_points(demo.township.id)
    assert figures[hexi] == {"points_issued": before[hexi]["points_issued"] + 1,
                             "points_redeemed": before[hexi]["points_redeemed"] + 1}
    assert figures[chama] == before[chama]


def test_settled_redemption_is_corrected_next_month_and_netted(session, shop, october, villager, give_points, people):
    from points.redemption import correct_settled_redemption

    open_settlement(shop, "2026-10", people["township"])
    clock.freeze(NOV)
    redeem(villager, shop, 20, "nov-1")  # new points at the shop cover the correction
    correct_settled_redemption(october[0], people["township"], "其实没有消费")
    assert ledger.balance_of(villager) == 100 - 17 - 20 + 17
    clock.freeze(datetime(2026, 12, 2, 2, tzinfo=timezone.utc))
    december = open_settlement(shop, "2026-11", people["township"])
    assert (december.points, december.amount_fen, december.redemption_count) == (3, 39, 2)
    rows = list(load_workbook(BytesIO(statement_xlsx(december))).active.iter_rows(values_only=True))
    assert [r[3] for r in rows[5:-1]] == [20, -17] and rows[-1][3:5] == (3, 39)
    assert ledger.recomputed_balances() == []


def test_correction_waits_until_the_shop_has_points_to_cover_it(session, shop, october, villager, people):
    from points.redemption import correct_settled_redemption

    open_settlement(shop, "2026-10", people["township"])
    with pytest.raises(Conflict) as refused:
        correct_settled_redemption(october[0], people["township"], "没有消费")
    assert refused.value.code == "correction_not_covered" and ledger.balance_of(villager) == 83


def test_unsettled_redemption_is_reversed_not_corrected(session, shop, october, people):
    from points.redemption import correct_settled_redemption

    with pytest.raises(Conflict) as refused:
        correct_settled_redemption(october[0], people["township"], "没有消费")
    assert refused.value.code == "not_settled"
