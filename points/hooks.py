"""Connects the points area to the others, which never import it: their signals, the codes' targets,
the township overview's points columns and the village home's shops."""
from flask import url_for

import counters
from citizen.codes.targets import Target, add_target
from citizen.home.partners import add_shop_source
from citizen.reports import signals
from citizen.triage.overview import add_figures
from disclosure.signals import finance_read
from points import shops
from points.earning import earn_finance_read_later, earn_for_report, find_event
from points.figures import village_points
from points.periods import today


def _accepted(report, actor=None, **_):
    """实名举报被受理."""
    earn_for_report(report, "report_accepted", actor)


def _published(report, actor=None, **_):
    """上回音壁."""
    earn_for_report(report, "report_published", actor)


def _rated(report, actor=None, **_):
    """评价答复."""
    earn_for_report(report, "report_rated", actor)


def _finance_read(disclosure, user=None, **_):
    """阅读当月财务公开: deferred, so no named row is written while the villager reads (see counters)."""
    counters.defer(earn_finance_read_later, user.id, disclosure.village_id, disclosure.period,
                   today().isoformat())


def _shop_url(row) -> str | None:
    """A shop code lands on the shop's pay page."""
    shop = shops.shop_by_id(row.target_id)
    return url_for("points.redeem", code=shop.code) if shop is not None else None


def _village_shops(village) -> list[dict]:
    """The village home's partner shops, each linking to its pay page."""
    return [{"name": shop.name, "address": shop.address, "url": url_for("points.redeem", code=shop.code)}
            for shop in shops.active_shops_of(village)]


SHOP_TARGET = Target(lambda village, shop_id: shops.shop_in_village(village, shop_id), _shop_url,
                     lambda village: [(f"shop:{s.id}", f"商户收款：{s.name}") for s in shops.shops_of_village(village)])
EVENT_TARGET = Target(lambda village, event_id: find_event(village, event_id) is not None,
                      lambda row: url_for("points.event_checkin", event_id=row.target_id),
                      lambda village: [("event", "活动签到（填编号）")])


def connect() -> None:
    """Subscribe the earn rules and plug points into the other areas; safe to call again (weak=False keeps them)."""
    signals.report_accepted.connect(_accepted, weak=False)
    signals.report_published.connect(_published, weak=False)
    signals.report_rated.connect(_rated, weak=False)
    finance_read.connect(_finance_read, weak=False)
    add_target("shop", SHOP_TARGET)
    add_target("event", EVENT_TARGET)
    add_figures(village_points)
    add_shop_source(_village_shops)
