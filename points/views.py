"""Villagers' pages of the points area: 我的积分, paying a shop (扫码用积分), checking in at an event."""
import secrets

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from accounts.authz import allowed, authorize
from errors import NotFound
from extensions import db
from points import ledger
from points.earning import check_in, event_open
from points.forms import PayForm
from points.history import history, signed
from points.models import Event, Redemption
from points.pages import day_time, person
from points.redemption import redeem as redeem_points
from points.rules import settings_for
from points.shops import shop_by_code, shops_near
from webforms import REFUSALS, refusal

def my_points():
    """积分: balance, history in plain words, and the shops near the villager."""
    user = person()
    lines = [{"at": day_time(item.at), "text": item.text, "points": signed(item.points) if item.granted else "0",
              "granted": item.granted, "reason": item.reason, "plus": item.points > 0}
             for item in history(user)]
    shops = [{"name": s.name, "village": s.village.name, "address": s.address,
              "url": url_for("points.redeem", code=s.code)} for s in shops_near(user)]
    return render_template("points/my_points.html", balance=ledger.balance_of(user), lines=lines, shops=shops,
                           claim_url=url_for("points.claim"))


def _pay_page(shop, *, error=None, fields=None, points="", key=None, status=200):
    """The shop's pay page: who the shop is, the villager's balance, the pad, or why not."""
    logged_in = current_user.is_authenticated
    can_pay = logged_in and allowed("points.pay_shop", shop)
    limits = settings_for(shop.village.township_id)
    return render_template(
        "points/redeem.html", shop=shop, village=shop.village.name, logged_in=logged_in,
        can_pay=can_pay and shop.active, suspended=not shop.active,
        balance=ledger.balance_of(current_user) if can_pay else None, most=limits.max_points_per_redemption,
        key=key or secrets.token_urlsafe(18), points=points, error=error, fields=fields,
        login_url=url_for("accounts.login_sms", next=request.path)), status


def redeem(code):
    """The page a shop's QR code leads to; POST pays the shop (the form's key makes a retry spend once)."""
    shop = shop_by_code(code)
    form = PayForm()
    if not form.validate_on_submit():
        if current_user.is_authenticated and not allowed("points.pay_shop", shop):
            raise NotFound()
        return _pay_page(shop)
    user = person()
    authorize("points.pay_shop", shop)
    points, key = form.points.data or "", form.key.data or ""
    try:
        redemption = redeem_points(user, shop, points, key)
        db.session.commit()
    except REFUSALS as exc:  # nothing was written; the request ends without a commit
        refused = refusal(exc)
        return _pay_page(shop, error=refused.message, fields=refused.fields, points=points, key=key,
                         status=refused.status)
    return redirect(url_for("points.redeem_done", code=shop.code, redemption_id=redemption.id), 303)


def redeem_done(code, redemption_id):
    """The confirmation: the 4-digit number the shop's page shows too."""
    redemption = db.session.get(Redemption, redemption_id)
    if redemption is None or redemption.shop.code != code:
        raise NotFound()
    authorize("points.own_redemption", redemption)
    return render_template("points/redeem_done.html", shop=redemption.shop, points=redemption.points,
                           confirmation=redemption.confirmation, at=day_time(redemption.created_at),
                           balance=redemption.balance_after, reversed=redemption.reversal_transfer_id is not None)


def event_checkin(event_id):
    """参加群众说事日: scan the meeting's code while it runs to earn points (once per meeting)."""
    event = db.session.get(Event, event_id)
    if event is None or (current_user.is_authenticated and not allowed("points.attend_event", event)):
        raise NotFound("没有找到这个活动，请检查二维码。")
    if request.method == "POST":
        user = person()
        record = check_in(user, event)
        db.session.commit()
        return redirect(url_for("points.event_checkin", event_id=event_id, done=1 if record.granted else 0), 303)
    return render_template("points/event.html", event=event, village=event.village.name, open=event_open(event),
                           window=f"{day_time(event.starts_at)} 至 {day_time(event.ends_at)}",
                           logged_in=current_user.is_authenticated, done=request.args.get("done"),
                           login_url=url_for("accounts.login_sms", next=request.path))
