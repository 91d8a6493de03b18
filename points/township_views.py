"""Township staff's points desk: shops, keepers, rules and caps, limits and rate, settlements, flags, events."""
from datetime import datetime
from io import BytesIO

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask import redirect, render_template, request, send_file, url_for

import clock
from accounts.authz import authorize
from accounts.places import township_village
from errors import Invalid, NotFound
from extensions import db
from points import fraud, ledger
from points.earning import create_event
from points.exports import month_summary_xlsx
from points.forms import (EventForm, FixForm, KeeperForm, PointsSettingsForm, RuleForm, SettleForm, ShopActiveForm,
                          ShopForm)
from points.models import Event, Redemption
from points.pages import day_time, person, staff_township
from points.periods import month_bounds, month_of, previous_month
from points.redemption import correct_settled_redemption, reverse_redemption
from points.rules import RULE_NAMES, SETTING_LIMITS, rules_for, settings_for, update_rule, update_settings
from points.settlement import (STATUS_WORDS, mark_paid, open_settlement, previews_of_township, statements_of_month,
                               yuan)
from points.shops import (add_shopkeeper, enrol_shop, keepers_of, keepers_of_shops, set_shop_active, shop_by_code,
                          shops_of_township)
from webforms import REFUSALS, Refusal, refusal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOME = "points.township_home"


def _month(asked: str | None = None) -> str:
    """The month the desk shows: `asked` (a refused settlement's), ?month=YYYY-MM, else last month."""
    month = asked or request.args.get("month") or previous_month(month_of())
    month_bounds(month)  # Invalid when malformed
    return month


def _managed_shop(code: str):
    """A shop of the caller's township, else 404."""
    shop = shop_by_code(code)
    authorize("points.manage_shop", shop)
    return shop


def township_home():
    """商户与结算: every shop, the month's statements, fraud flags, rules, limits and events."""
    return _home_page()


def _home_page(refused: Refusal | None = None, typed: dict | None = None, month: str | None = None):
    """The desk; after a refusal, its message and the refused form as typed.

    `typed` holds that form's inputs under its name: "enrol", "rule" (with the rule's "key"), "settings", "event".
    """
    township = staff_township()
    month = _month(month)
    typed = typed or {}
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
        rules=[_rule_row(r, typed.get("rule")) for r in rules_for(township)],
        settings=[(field, label, typed["settings"].get(field, "") if "settings" in typed else getattr(settings, field))
                  for field, (label, _, _) in SETTING_LIMITS.items()],
        villages=[(v.id, v.name) for v in township.villages],
        events=[{"title": e.title, "village": e.village.name, "window": f"{day_time(e.starts_at)} 至 {day_time(e.ends_at)}",
                 "url": url_for("points.event_checkin", event_id=e.id, _external=False)} for e in events],
        summary_url=url_for("points.month_summary", month=month), typed=typed,
        error=refused.message if refused else None), refused.status if refused else 200


def _rule_row(rule, typed: dict | None) -> dict:
    """One earn rule's form: as saved, or as typed when it was the one refused."""
    if typed and typed.get("key") == rule.key:
        return {"key": rule.key, "name": RULE_NAMES[rule.key], "points": typed.get("points", ""),
                "daily": typed.get("daily_cap", ""), "monthly": typed.get("monthly_cap", ""),
                "enabled": "enabled" in typed}
    return {"key": rule.key, "name": RULE_NAMES[rule.key], "points": rule.points, "daily": rule.daily_cap,
            "monthly": rule.monthly_cap, "enabled": rule.enabled}


def _chosen_village(township, missing: str):
    """The form's village: 422 when none is chosen, 404 when it is not one of the caller's township."""
    if not request.form.get("village_id"):
        raise Invalid(missing, fields={"village": ["请选择村。"]})
    village = township_village(township, request.form.get("village_id", type=int))
    if village is None:
        raise NotFound()
    return village


def enrol():
    """Enrol a partner shop in one of the township's villages."""
    township = staff_township()
    form = ShopForm()
    try:
        village = _chosen_village(township, "请选择店所在的村。")
        shop = enrol_shop(township, village, form.name.data, form.address.data, form.contact.data)
        db.session.commit()
    except NotFound:
        raise  # another township's village: 404, as for anything out of scope
    except REFUSALS as exc:
        db.session.rollback()
        return _home_page(refusal(exc), {"enrol": form.posted()})
    return redirect(url_for("points.township_shop", code=shop.code), 303)


def township_shop(code):
    """One shop: keepers, its latest redemptions, reversal of a wrong one."""
    return _shop_page(_managed_shop(code))


def _shop_page(shop, refused: Refusal | None = None, typed: dict | None = None):
    """A shop's desk page; after a refusal, its message and the refused form as typed.

    `typed` holds that form's inputs under its name: "keeper", or "fix" (with the redemption's "id").
    """
    fixing = (typed or {}).get("fix", {})
    rows = db.session.execute(sa.select(Redemption).options(selectinload(Redemption.user))
                              .where(Redemption.shop_id == shop.id)
                              .order_by(Redemption.id.desc()).limit(100)).scalars()
    return render_template(
        "points/township_shop.html", shop=shop, village=shop.village.name,
        keepers=[(u.name, u.phone) for u in keepers_of(shop)], balance=ledger.shop_balance(shop),
        codes_url=url_for("codes.manage"),
        rows=[{"id": r.id, "day": day_time(r.created_at), "confirmation": r.confirmation, "points": r.points,
               "villager": r.user.name, "settled": r.settlement_id is not None,
               "reversed": r.reversal_transfer_id is not None, "reason": r.reversal_reason,
               "typed_reason": fixing.get("reason", "") if fixing.get("id") == r.id else ""} for r in rows],
        typed=typed or {}, error=refused.message if refused else None), refused.status if refused else 200


def shop_active(code):
    """Suspend a shop or let it receive again."""
    shop = _managed_shop(code)
    form = ShopActiveForm()
    try:
        set_shop_active(shop, form.active.data == "1")
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        return _home_page(refusal(exc))
    return redirect(url_for(HOME), 303)


def shop_keeper(code):
    """Create a shop keeper account for the shop."""
    shop = _managed_shop(code)
    form = KeeperForm()
    try:
        add_shopkeeper(shop, form.phone.data, form.name.data, form.password.data)
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        return _shop_page(_managed_shop(code), refusal(exc), {"keeper": form.posted()})
    return redirect(url_for("points.township_shop", code=shop.code), 303)


def rule(key):
    """Change one earn rule's amount, caps and switch."""
    if key not in RULE_NAMES:
        raise NotFound()
    township = staff_township()
    form = RuleForm()
    try:
        update_rule(township, key, form.points.data, form.daily_cap.data, form.monthly_cap.data, form.enabled.data)
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        return _home_page(refusal(exc), {"rule": {**form.posted(), "key": key}})
    return redirect(url_for(HOME) + "#rules", 303)


def settings():
    """Change the rate, limits and fraud thresholds."""
    township = staff_township()
    form = PointsSettingsForm()
    try:
        update_settings(township, form.posted())
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        return _home_page(refusal(exc), {"settings": form.posted()})
    return redirect(url_for(HOME) + "#limits", 303)


def settle():
    """Open a shop's statement for an ended month (its points move to the township)."""
    form = SettleForm()
    shop = _managed_shop(form.shop_code.data or "")
    try:
        statement = open_settlement(shop, form.month.data or "", person())
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        return _home_page(refusal(exc), month=_shown_month(form.month.data))
    return redirect(url_for("points.statement", settlement_id=statement.id), 303)


def _shown_month(month: str | None) -> str | None:
    """A posted month the desk can show again, else None (the desk's usual month)."""
    try:
        month_bounds(month or "")
    except Invalid:
        return None
    return month


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
    code, form = redemption.shop.code, FixForm()
    try:
        fix(db.session.get(Redemption, redemption_id), person(), form.reason.data)
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        return _shop_page(_managed_shop(code), refusal(exc), {"fix": {**form.posted(), "id": redemption_id}})
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
    form = EventForm()
    try:
        village = _chosen_village(township, "请选择村。")
        starts, ends = (_local_time(form.day.data, field.data) for field in (form.start, form.end))
        create_event(township, village, form.title.data, starts, ends)
        db.session.commit()
    except NotFound:
        raise  # another township's village: 404, as for anything out of scope
    except REFUSALS as exc:
        db.session.rollback()
        return _home_page(refusal(exc), {"event": form.posted()})
    return redirect(url_for(HOME) + "#events", 303)


def _local_time(day: str | None, hhmm: str | None) -> datetime:
    """A Shanghai date and time from the form, as an aware datetime."""
    try:
        return datetime.strptime(f"{day} {hhmm}", "%Y-%m-%d %H:%M").replace(tzinfo=clock.SHANGHAI)
    except (TypeError, ValueError):
        raise Invalid("请填写日期和时间，例如 2026-11-28 和 09:00。", fields={"day": ["日期或时间格式不对。"]}) from None
