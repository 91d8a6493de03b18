"""Villagers' pages of 三务公开: the board by category, a disclosure, the power list, the cadres."""
from collections import OrderedDict
from io import BytesIO
from threading import Lock

import sqlalchemy as sa
from flask import render_template, request, send_file, url_for
from flask_login import current_user
from markupsafe import Markup

import clock
from accounts.authz import allowed, authorize, village_by_slug
from disclosure.board import board_items, category_tabs, freshness_line, status_label
from disclosure.cadres import duty_list, village_cadres
from disclosure.lookup import find_disclosure
from disclosure.attachments import attachments_of
from disclosure.models import CATEGORIES, MODES, Attachment, Cadre, Disclosure, Revision
from disclosure.periods import period_label
from disclosure.powers import ensure_power_list, visible_items
from disclosure.publishing import current_revision, draft_of
from disclosure.reach import record_view
from disclosure.receipt import finance_view, receipt_lines
from disclosure.signals import finance_read
from errors import NotFound
from extensions import db
from storage import disclosure_store

def village_disclosures(slug: str):
    """The village's board: 财务, 村务 and 党务 disclosures, newest first, with the freshness line."""
    village = village_by_slug(slug)
    category = request.args.get("c") if request.args.get("c") in CATEGORIES else "finance"
    return render_template("disclosure/board.html", village=village, cat_tabs=category_tabs(category),
                           category=category, items=board_items(village, category),
                           fresh=freshness_line(village))



def ask_prefix(slug: str) -> str:
    """Start of a 我要问 link; append `line:12`, `power_item:3` or `cadre:5` (format fixed by the report form)."""
    return url_for("reports.report_form", slug=slug) + "?subject="

def paragraphs(body: str) -> list[list[str]]:
    """Plain text to paragraphs of lines; the template escapes every piece."""
    blocks = [block.strip("\n") for block in body.replace("\r\n", "\n").split("\n\n")]
    return [block.split("\n") for block in blocks if block.strip()]


def history(disclosure: Disclosure) -> list[dict]:
    """Every published revision, newest first, with its reason and what changed."""
    rows = db.session.execute(sa.select(Revision).where(Revision.disclosure_id == disclosure.id,
                                                        Revision.published_at.is_not(None))
                              .order_by(Revision.number.desc())).scalars()
    return [{"number": r.number, "at": clock.local(r.published_at).strftime("%Y-%m-%d %H:%M"),
             "reason": r.reason, "changes": r.changes} for r in rows]


_LINES_CACHE: OrderedDict = OrderedDict()
_LINES_CACHE_SIZE = 32
_LINES_LOCK = Lock()


def lines_html(rows: list, ask: str) -> Markup:
    """The receipt's line list as HTML, cached by content: a published revision never changes, and a key made
    of the lines themselves can never serve stale text (even when ids are reused, as in tests)."""
    key = (ask, hash(tuple(rows)), len(rows))
    with _LINES_LOCK:  # gunicorn runs threads: the dict's order changes under one lock
        html = _LINES_CACHE.get(key)
        if html is not None:
            _LINES_CACHE.move_to_end(key)
            return html
    html = Markup(render_template("disclosure/_lines.html", lines=receipt_lines(rows), ask=ask))
    with _LINES_LOCK:
        _LINES_CACHE[key] = html
        while len(_LINES_CACHE) > _LINES_CACHE_SIZE:
            _LINES_CACHE.popitem(last=False)
    return html


def detail_context(disclosure: Disclosure, revision: Revision | None = None) -> dict:
    """Everything the disclosure page shows, as plain values (the current revision unless told otherwise)."""
    revision = revision or current_revision(disclosure)
    village = disclosure.village
    context = {
        "id": disclosure.id, "village_name": village.name, "slug": village.slug, "title": revision.title,
        "category": CATEGORIES[disclosure.category], "category_key": disclosure.category,
        "mode": MODES[disclosure.mode], "period": period_label(revision.period),
        "status": status_label(disclosure), "withdrawn": disclosure.status == "withdrawn",
        "withdraw_reason": disclosure.withdraw_reason,
        "withdrawn_at": clock.local(disclosure.withdrawn_at).strftime("%Y-%m-%d") if disclosure.withdrawn_at else "",
        "published_at": clock.local(disclosure.published_at).strftime("%Y-%m-%d") if disclosure.published_at else "",
        "preview": revision.published_at is None,
        "paragraphs": paragraphs(revision.body), "attachments": attachments_of(revision),
        "history": history(disclosure), "revision": revision.number,
        "ask": ask_prefix(village.slug), "board_url": url_for("disclosure.village_disclosures", slug=village.slug,
                                                              c=disclosure.category),
        "finance": finance_view(disclosure, revision) if disclosure.category == "finance" else None,
    }
    if context["finance"]:
        context["finance"]["lines_html"] = lines_html(context["finance"].pop("rows"), context["ask"])
    return context


def disclosure_detail(id: int):
    """One disclosure; finance reads like a receipt with a 我要问 on every line."""
    disclosure = find_disclosure(id)  # clerks see their drafts on the preview page, not here
    context = detail_context(disclosure)
    record_view(disclosure)
    if disclosure.category == "finance" and disclosure.status == "published" and current_user.is_authenticated:
        finance_read.send(disclosure, user=current_user._get_current_object())  # handed off, not written here
    return render_template("disclosure/detail.html", d=context)


def preview(id: int):
    """The villagers' page as it will look once the draft or correction is published (clerks only)."""
    disclosure = db.session.get(Disclosure, id)
    if disclosure is None:
        raise NotFound("没有找到这条公开。")
    authorize("disclosure.manage", disclosure)
    return render_template("disclosure/detail.html", d=detail_context(disclosure, draft_of(disclosure)))


def attachment_file(id: int, attachment_id: int):
    """An attachment of a published revision (a draft's only for the village's clerks)."""
    attachment = db.session.get(Attachment, attachment_id)
    revision = db.session.get(Revision, attachment.revision_id) if attachment else None
    if revision is None or revision.disclosure_id != id:
        raise NotFound("没有找到这个附件。")
    if revision.published_at is None and not allowed("disclosure.manage", revision.disclosure):
        raise NotFound("没有找到这个附件。")
    try:
        data = BytesIO(disclosure_store().read(attachment.storage_key))
    except FileNotFoundError:
        raise NotFound("附件文件已丢失，请联系村务员。") from None
    if attachment.kind == "pdf":
        return send_file(data, mimetype="application/pdf", as_attachment=True, download_name=attachment.name)
    return send_file(data, mimetype="image/jpeg", max_age=365 * 24 * 3600)


def cadre_photo(id: int):
    """A cadre's photo (already re-encoded without metadata when uploaded)."""
    cadre = db.session.get(Cadre, id)
    try:
        data = disclosure_store().read(cadre.photo_key) if cadre is not None and cadre.photo_key else None
    except FileNotFoundError:
        data = None
    if data is None:
        raise NotFound("没有照片。")
    return send_file(BytesIO(data), mimetype="image/jpeg", max_age=24 * 3600)


def powers(slug: str):
    """The village's 小微权力清单, each item with its steps and a 我要问."""
    village = village_by_slug(slug)
    ensure_power_list(village)  # a village added later gets the default list on first view
    items = [{"id": item.id, "title": item.title, "responsible": item.responsible,
              "must_disclose": item.must_disclose, "steps": [s.text for s in item.steps]}
             for item in visible_items(village)]
    return render_template("disclosure/powers.html", village=village, items=items, ask=ask_prefix(village.slug))


def cadres(slug: str):
    """清廉印象: the village's cadres with duties, pledge and office contact, and a 我要反映."""
    village = village_by_slug(slug)
    people = [{"id": c.id, "name": c.name, "post": c.post, "duties": duty_list(c), "pledge": c.pledge,
               "pledge_date": f"{c.pledge_date:%Y年%-m月%-d日}" if c.pledge_date else "",
               "office_phone": c.office_phone, "office_hours": c.office_hours,
               "secretary_chair": c.secretary_chair, "committee": c.committee,
               "initial": c.name[:1], "photo": bool(c.photo_key)} for c in village_cadres(village)]
    return render_template("disclosure/cadres.html", village=village, people=people, ask=ask_prefix(village.slug))
