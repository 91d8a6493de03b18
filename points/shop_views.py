"""The shop keeper's pages: today's and this month's redemptions, totals, statements; a small JSON feed to poll."""
from io import BytesIO

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask import jsonify, redirect, render_template, request, send_file, url_for

from accounts.authz import allowed, authorize, pick_own
from errors import NotFound
from extensions import db
from points.exports import statement_xlsx
from points.forms import ReferenceForm
from points.models import Redemption, Settlement
from points.pages import day_time, hhmm, person
from points.periods import day_bounds, month_bounds, month_of
from points.settlement import STATUS_WORDS, mark_paid, statement_corrections, statement_lines, yuan
from points.shops import shops_of_keeper
from webforms import REFUSALS, Refusal, refusal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _keeper_shop():
    """The keeper's shop (?shop=<code> when they keep several), or 404."""
    shops = shops_of_keeper(person())
    if not shops:
        raise NotFound()
    return pick_own(shops, request.args.get("shop"), lambda s: s.code), shops


def _rows(shop_id: int, start, end) -> list[Redemption]:
    """A shop's redemptions in [start, end), newest first."""
    return list(db.session.execute(
        sa.select(Redemption).options(selectinload(Redemption.user))
        .where(Redemption.shop_id == shop_id, Redemption.created_at >= start, Redemption.created_at < end)
        .order_by(Redemption.id.desc())).scalars())


def _line(r: Redemption) -> dict:
    """One redemption as the counter shows it."""
    return {"id": r.id, "time": hhmm(r.created_at), "day": day_time(r.created_at), "confirmation": r.confirmation,
            "points": r.points, "villager": f"尾号{r.user.phone[-4:]}", "reversed": r.reversal_transfer_id is not None}


def _total(rows: list[Redemption]) -> int:
    """Points of the rows that still count (reversed ones do not)."""
    return sum(r.points for r in rows if r.reversal_transfer_id is None)


def shop_home():
    """本店收款: today's and this month's redemptions with confirmation numbers, totals, statements."""
    shop, shops = _keeper_shop()
    today = _rows(shop.id, *day_bounds())
    month = _rows(shop.id, *month_bounds(month_of()))
    statements = db.session.execute(sa.select(Settlement).where(Settlement.shop_id == shop.id)
                                    .order_by(Settlement.month.desc())).scalars()
    return render_template(
        "points/shop_home.html", shop=shop, others=[(s.name, url_for("points.shop_home", shop=s.code))
                                                    for s in shops if s.id != shop.id],
        today=[_line(r) for r in today], today_total=_total(today), month=[_line(r) for r in month],
        month_total=_total(month), month_name=month_of(),
        feed_url=url_for("points.shop_feed", shop=shop.code),
        statements=[{"month": s.month, "points": s.points, "yuan": yuan(s.amount_fen),
                     "status": STATUS_WORDS[s.status], "url": url_for("points.statement", settlement_id=s.id)}
                    for s in statements])


def shop_feed():
    """Today's redemptions as JSON, for the shop page's light polling."""
    shop, _ = _keeper_shop()
    today = _rows(shop.id, *day_bounds())
    return jsonify(latest_id=today[0].id if today else 0, count=len(today), total=_total(today),
                   items=[_line(r) for r in today[:50]])


def statement(settlement_id):
    """A statement, for its shop's keepers and its township's staff (who may mark it paid)."""
    row = db.session.get(Settlement, settlement_id)
    if row is None:
        raise NotFound()
    authorize("points.see_statement", row)
    return _statement_page(row)


def paid(settlement_id):
    """Township staff mark a statement paid with its bank reference; a refusal shows the statement again."""
    row = db.session.get(Settlement, settlement_id)
    if row is None:
        raise NotFound()
    authorize("points.manage_shop", row.shop)
    form = ReferenceForm()
    try:
        mark_paid(row, form.reference.data, person())
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        return _statement_page(db.session.get(Settlement, settlement_id), refusal(exc), form.posted())
    return redirect(url_for("points.statement", settlement_id=settlement_id), 303)


def _statement_page(row: Settlement, refused: Refusal | None = None, typed: dict | None = None):
    """The statement; after a refused payment, its message and the reference as typed."""
    return render_template(
        "points/statement.html", s=row, shop=row.shop, village=row.shop.village.name, yuan=yuan(row.amount_fen),
        rate_yuan=yuan(row.rate_fen), status=STATUS_WORDS[row.status], paid_at=row.paid_at and day_time(row.paid_at),
        lines=[dict(_line(r), fen=yuan(r.points * row.rate_fen), correction=False) for r in statement_lines(row)]
        + [dict(_line(r), points=-r.points, fen=yuan(-r.points * row.rate_fen), correction=True)
           for r in statement_corrections(row)],
        can_pay=row.status == "open" and allowed("points.manage_shop", row.shop),
        xlsx_url=url_for("points.statement_xlsx", settlement_id=row.id), typed=typed or {},
        error=refused.message if refused else None), refused.status if refused else 200


def statement_xlsx_download(settlement_id):
    """The statement as a spreadsheet, for the same people."""
    row = db.session.get(Settlement, settlement_id)
    if row is None:
        raise NotFound()
    authorize("points.see_statement", row)
    return send_file(BytesIO(statement_xlsx(row)), mimetype=XLSX, as_attachment=True,
                     download_name=f"statement-{row.shop.code}-{row.month}.xlsx")

