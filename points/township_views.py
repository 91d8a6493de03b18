"""Township staff's points desk: shops, keepers, rules and caps, limits and rate, settlements, flags, events."""
from datetime import datetime
from io import BytesIO

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask import redirect, render_template, request, send_file, url_for

import clock
from accounts.authz import authorize
from accounts.places import village_by_id
from errors import Invalid, NotFound
from extensions import db
from points import fraud, ledger
from points.earning import create_event
from points.exports import month_summary_xlsx
from points.models import Event, Redemption, Settlement
from points.pages import day_time, person, staff_township
from points.periods import month_bounds, month_of, previous_month
from points.redemption import correct_settled_redemption, reverse_redemption
from points.rules import RULE_NAMES, SETTING_LIMITS, rules_for, settings_for, update_rule, update_settings
from points.settlement import (STATUS_WORDS, mark_paid, open_settlement, previews_of_township, statements_of_month,
                               yuan)
from points.shops import (add_shopkeeper, enrol_shop, keepers_of, keepers_of_shops, set_shop_active, shop_by_code,
                          shops_of_township)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOME = "points.township_home"


def _month() -> str:
    """The month the desk shows: ?month=YYYY-MM, else last month."""
    month = request.args.get("month") or previous_month(month_of())
    month_bounds(month)  # Invalid when malformed
    return month


def _managed_shop(code: str):
    """A shop of the caller's township, else 404."""
    shop = shop_by_code(code)
    authorize("points.manage_shop", shop)
    return shop


def township_home():
    """商户与结算: every shop, the month's statements, fraud flags, rules, limits and events."""
    township = staff_township()
    month = _month()
    settings = settings_for(township)
    statements = {s.shop_id: s for s in statements_of_month(township.id, month)}
    # A fixed number of statements whatever the number of shops: sums, keepers and villages in one go each.
    township_shops = shops_of_township(township.id)
    figures = previews_of_township(township.id, month)
    keepers = keepers_of_shops([shop.id for shop in township_shops])
    shops = []
    for shop in township_shops:
        points, count = figures.get(shop.id, (0, 0))
        s = statements.get(shop.id)
        shops.append({"code": shop.code, "name": shop.name, "village": shop.village.name, "active": shop.active,
                      "keepers": ", ".join(u.name for u in keepers[shop.id]), "unsettled": points,
                      "count": count, "yuan": yuan(points * settings.rate_fen),
                      "statement": s and {"status": STATUS_WORDS[s.status],
                                          "yuan": yuan(s.amount_fen), "points": s.points,
                                          "url": url_for("points.statement", settlement_id=s.id)},
                      "url": url_for("points.township_shop", code=shop.code)})
    flags = fraud.flags_for(settings, month)
    names, phones = fraud.shop_names(flags), fraud.villager_phones(flags)
    events = db.session.execute(sa.select(Event).where(Event.township_id == township.id)
                                .options(selectinload(Event.village))
                                .order_by(Event.starts_at.desc()).limit(10)).scalars()
    return render_template(
        "points/township_home.html", township=township, month=month, shops=shops,
        month_over=month_bounds(month)[1] <= clock.now(),
        flags=[{"shop": names.get(f.shop_id, ""), "text": f.text,
                "villager": f"尾号{phones[f.user_id]}" if f.user_id in phones else ""} for f in flags],
        rules=[{"key": r.key, "name": RULE_NAMES[r.key], "points": r.points, "daily": r.daily_cap,
                "monthly": r.monthly_cap, "enabled": r.enabled} for r in rules_for(township)],
        settings=[(field, label, getattr(settings, field)) for field, (label, _, _) in SETTING_LIMITS.items()],
        villages=[(v.id, v.name) for v in township.villages],
        events=[{"title": e.title, "village": e.village.name, "window": f"{day_time(e.starts_at)} 至 {day_time(e.ends_at)}",
                 "url": url_for("points.event_checkin", event_id=e.id, _external=False)} for e in events],
        summary_url=url_for("points.month_summary", month=month))


def enrol():
    """Enrol a partner shop in one of the township's villages."""
    township = staff_township()
    village = village_by_id(request.form.get("village_id", type=int))
    if village is None:
        raise Invalid("请选择店所在的村。", fields={"village": ["请选择村。"]})
    shop = enrol_shop(township, village, request.form.get("name"), request.form.get("address"),
                      request.form.get("contact"))
    db.session.commit()
    return redirect(url_for("points.township_shop", code=shop.code), 303)


def township_shop(code):
    """One shop: keepers, its latest redemptions, reversal of a wrong one."""
    shop = _managed_shop(code)
    rows = db.session.execute(sa.select(Redemption).options(selectinload(Redemption.user))
                              .where(Redemption.shop_id == shop.id)
                              .order_by(Redemption.id.desc()).limit(100)).scalars()
    return render_template(
        "points/township_shop.html", shop=shop, village=shop.village.name,
        keepers=[(u.name, u.phone) for u in keepers_of(shop)], balance=ledger.shop_balance(shop),
        codes_url=url_for("codes.manage"),
        rows=[{"id": r.id, "day": day_time(r.created_at), "confirmation": r.confirmation, "points": r.points,
               "villager": r.user.name, "settled": r.settlement_id is not None,
               "reversed": r.reversal_transfer_id is not None, "reason": r.reversal_reason} for r in rows])


def shop_active(code):
    """Suspend a shop or let it receive again."""
    shop = _managed_shop(code)
    set_shop_active(shop, request.form.get("active") == "1")
    db.session.commit()
    return redirect(url_for(HOME), 303)


def shop_keeper(code):
    """Create a shop keeper account for the shop."""
    shop = _managed_shop(code)
    add_shopkeeper(shop, request.form.get("phone"), request.form.get("name"), request.form.get("password"))
    db.session.commit()
    return redirect(url_for("points.township_shop", code=shop.code), 303)


def rule(key):
    """Change one earn rule's amount, caps and switch."""
    if key not in RULE_NAMES:
        raise NotFound()
    township = staff_township()
    f = request.form
    update_rule(township, key, f.get("points"), f.get("daily_cap"), f.get("monthly_cap"), f.get("enabled") == "1")
    db.session.commit()
    return redirect(url_for(HOME) + "#rules", 303)


def settings():
    """Change the rate, limits and fraud thresholds."""
    township = staff_township()
    update_settings(township, {k: v for k, v in request.form.items() if k in SETTING_LIMITS})
    db.session.commit()
    return redirect(url_for(HOME) + "#limits", 303)


def settle():
    """Open a shop's statement for an ended month (its points move to the township)."""
    shop = _managed_shop(request.form.get("shop_code", ""))
    statement = open_settlement(shop, request.form.get("month", ""), person())
    db.session.commit()
    return redirect(url_for("points.statement", settlement_id=statement.id), 303)


def paid(settlement_id):
    """Mark a statement paid with its bank reference."""
    statement = db.session.get(Settlement, settlement_id)
    if statement is None:
        raise NotFound()
    authorize("points.manage_shop", statement.shop)
    mark_paid(statement, request.form.get("reference"), person())
    db.session.commit()
    return redirect(url_for("points.statement", settlement_id=settlement_id), 303)


def reverse(redemption_id):
    """Reverse a wrong, unsettled redemption with a reason."""
    return _fix_redemption(redemption_id, reverse_redemption)


def correct(redemption_id):
    """Correct a wrong redemption that was already settled (netted on the shop's next statement)."""
    return _fix_redemption(redemption_id, correct_settled_redemption)


def _fix_redemption(redemption_id: int, fix):
    """Run a reversal or correction (with the form's reason) on a redemption the caller manages."""
    redemption = db.session.get(Redemption, redemption_id)
    if redemption is None:
        raise NotFound()
    authorize("points.manage_redemption", redemption)
    code = redemption.shop.code
    fix(db.session.get(Redemption, redemption_id), person(), request.form.get("reason"))
    db.session.commit()
    return redirect(url_for("points.township_shop", code=code), 303)


def month_summary(month):
    """The township's month summary as a spreadsheet."""
    township = staff_township()
    month_bounds(month)
    data = month_summary_xlsx(township.name, month, statements_of_month(township.id, month))
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"summary-{month}.xlsx")


def event():
    """Schedule a 群众说事日 (its QR code is printed from the codes desk)."""
    township = staff_township()
    village = village_by_id(request.form.get("village_id", type=int))
    if village is None:
        raise Invalid("请选择村。", fields={"village": ["请选择村。"]})
    starts, ends = (_local_time(request.form.get("day"), request.form.get(name)) for name in ("start", "end"))
    create_event(township, village, request.form.get("title"), starts, ends)
    db.session.commit()
    return redirect(url_for(HOME) + "#events", 303)


def _local_time(day: str | None, hhmm: str | None) -> datetime:
    """A Shanghai date and time from the form, as an aware datetime."""
    try:
        return datetime.strptime(f"{day} {hhmm}", "%Y-%m-%d %H:%M").replace(tzinfo=clock.SHANGHAI)
    except (TypeError, ValueError):
        raise Invalid("请填写日期和时间，例如 2026-11-28 和 09:00。", fields={"day": ["日期或时间格式不对。"]}) from None
