"""Each village's points issued and redeemed are kept with every earn, payment and reversal, equal to the ledger's sums."""
from points import tally
from points.earning import earn
from points.figures import village_points
from points.redemption import redeem, reverse_redemption


def _kept(village) -> tuple[int, int]:
    """(issued, redeemed) as kept for one village."""
    return tally.village_totals([village.id]).get(village.id, (0, 0))


def test_earns_and_payments_move_the_kept_totals_and_reversals_undo_them(demo, villager, shop, people, session):
    hexi = demo.villages["hexi"]
    before = _kept(hexi)
    earn(villager, "report_accepted", "tally-1")
    earn(villager, "report_accepted", "tally-1")  # the same reason twice grants once
    payment = redeem(villager, shop, 4, "tally-pay")
    assert _kept(hexi) == (before[0] + 10, before[1] + 4)
    reverse_redemption(payment, people["township"], "点错了")
    assert _kept(hexi) == (before[0] + 10, before[1])
    assert tally.differences() == []


def test_the_overview_figures_are_the_kept_totals(demo, villager, shop, session):
    earn(villager, "report_accepted", "tally-2")
    redeem(villager, shop, 3, "tally-pay-2")
    figures = village_points(demo.township.id)[demo.villages["hexi"].id]
    assert (figures["points_issued"], figures["points_redeemed"]) == tally.recount()[demo.villages["hexi"].id]


def test_a_refused_earn_counts_nothing(demo, villager, session):
    hexi = demo.villages["hexi"]
    for n in range(20):  # past the daily cap of 30 at 10 a time
        earn(villager, "report_accepted", f"tally-cap-{n}")
    assert tally.differences() == []
    assert _kept(hexi)[0] - tally.recount().get(hexi.id, (0, 0))[0] == 0
