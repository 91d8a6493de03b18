"""JSON endpoints of the disclosure area: the public board, powers and cadres; the clerk's writes and import."""
import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import selectinload

from accounts.authz import authorize, village_by_slug
from disclosure.board import board_query
from disclosure.importing import import_lines
from disclosure.lookup import find_disclosure
from disclosure.models import Cadre, Disclosure, PowerItem, Revision
from disclosure.periods import period_label
from disclosure.powers import ensure_power_list
from disclosure.publishing import create_disclosure, current_revision, draft_of, publish, start_correction, withdraw
from disclosure.reach import record_view
from disclosure.receipt import line_rows, totals
from disclosure.schemas import (CadrePageSchema, DisclosureInputSchema, DisclosureListArgs, DisclosurePageSchema,
                                ImportResultSchema, PowerItemPageSchema, PublicDisclosureSchema, ReasonSchema)
from errors import Invalid, NotFound
from extensions import db
from jsonapi import PageArgs, api_user, body, fails, json_object, may_login, needs_login, page_args, query, response

UPLOAD = {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}
NO_DISCLOSURE = (404, "没有这条公开，或不归调用者管（not_found）")


def paged(query: sa.Select) -> dict:
    """Run a query one page at a time; the response schema dumps the rows."""
    page, per_page = page_args()
    total = db.session.execute(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return {"items": rows, "page": page, "per_page": per_page, "total": total}


@response(200, DisclosurePageSchema)
@query(DisclosureListArgs, PageArgs)
@fails((404, "没有这个村（not_found）"))
def list_disclosures(slug: str):
    """A village's published and withdrawn disclosures, newest first; `?category=party|affairs|finance`."""
    village = village_by_slug(slug)
    category = DisclosureListArgs().load({k: v for k, v in request.args.items() if k == "category" and v})["category"]
    return paged(board_query(village, category))


def disclosure_body(disclosure: Disclosure, revision: Revision) -> dict:
    """A disclosure with its revision's body and lines, totals and the published revisions."""
    lines = line_rows(revision) if disclosure.category == "finance" else []
    history = db.session.execute(sa.select(Revision).where(Revision.disclosure_id == disclosure.id,
                                                           Revision.published_at.is_not(None))
                                 .order_by(Revision.number)).scalars().all()
    return {**{k: getattr(disclosure, k) for k in (
        "id", "category", "mode", "status", "revision", "published_at", "corrected_at", "withdrawn_at",
        "withdraw_reason")}, "village": disclosure.village.slug, "title": revision.title, "period": revision.period,
        "period_label": period_label(revision.period), "body": revision.body, "lines": lines,
        "totals": totals(lines) if disclosure.category == "finance" else None, "revisions": history}


@response(200, PublicDisclosureSchema)
@may_login
@fails((404, "没有这条公开；草稿只有本村文书看得到（not_found）"))
def get_disclosure(id: int):
    """One disclosure with lines and totals; a draft only for its village's clerks."""
    disclosure = find_disclosure(id, with_drafts=True)
    if disclosure.status == "draft":
        return disclosure_body(disclosure, draft_of(disclosure))
    body = disclosure_body(disclosure, current_revision(disclosure))
    record_view(disclosure)
    return body


@response(201, PublicDisclosureSchema)
@needs_login
@body(DisclosureInputSchema)
@fails((404, "没有这个村，或调用者不是这个村的文书（not_found）"))
def post_disclosure(slug: str):
    """A clerk creates a disclosure: published at once when it has content, unless `publish: false`."""
    village = village_by_slug(slug)
    user = api_user()
    authorize("disclosure.manage", village)
    data = DisclosureInputSchema().load(json_object())
    disclosure = create_disclosure(village, user, data)
    wanted = data["publish"]
    if wanted is None:
        wanted = data["category"] != "finance" or bool(data["lines"])
    if wanted:
        publish(disclosure, user)
    db.session.commit()
    return disclosure_body(disclosure, current_revision(disclosure) or draft_of(disclosure))


def _managed(id: int) -> Disclosure:
    """A disclosure the caller may manage, else 401/404."""
    api_user()
    disclosure = db.session.get(Disclosure, id)
    if disclosure is None:
        raise NotFound("没有找到这条公开。")
    authorize("disclosure.manage", disclosure)
    return disclosure


@response(201, ImportResultSchema)
@needs_login
@body(None, multipart=UPLOAD)
@fails(NO_DISCLOSURE, (409, "这条公开已撤回，不能再修改（conflict）"), (413, "文件超过5MB，或解压后太大（too_large）"),
       (415, "不是 .xlsx 或 .csv，设置了密码，或是旧版 .xls（wrong_type、old_excel、empty_file …）"),
       (422, "表头不对、编码认不出来，或某些行有误：rows 逐行说明，一行也没有导入"))
def import_disclosure_lines(id: int):
    """Replace the draft's lines with an uploaded .xlsx or .csv: all rows good, or 422 naming every bad row.

    A published disclosure gets a correction draft; publish it with `POST /disclosures/<id>/publish {reason}`.
    """
    disclosure = _managed(id)
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("请用 multipart/form-data 上传文件，字段名为 file。", fields={"file": ["请选择文件。"]})
    count = import_lines(disclosure, api_user(), upload.filename or "", upload.read())
    draft = draft_of(disclosure)
    db.session.commit()
    return {"imported": count, "revision": draft.number, "correction": draft.number > 1}


def _reason() -> str:
    """The optional JSON body's reason (an empty body is no reason)."""
    if not request.get_data():
        return ReasonSchema().load({})["reason"]
    return ReasonSchema().load(json_object())["reason"]


@response(200, PublicDisclosureSchema)
@needs_login
@body(ReasonSchema, required=False)
@fails(NO_DISCLOSURE, (409, "已撤回，或没有待公开的草稿（conflict）"))
def publish_disclosure(id: int):
    """Publish the draft or the open correction (`{reason}` required for a correction)."""
    disclosure = _managed(id)
    revision = publish(disclosure, api_user(), _reason())
    db.session.commit()
    return disclosure_body(disclosure, revision)


@response(201, PublicDisclosureSchema)
@needs_login
@fails(NO_DISCLOSURE, (409, "只有已公开的内容可以更正（conflict）"))
def open_correction(id: int):
    """Open a correction: a new draft revision copied from the published one."""
    disclosure = _managed(id)
    draft = start_correction(disclosure, api_user())
    db.session.commit()
    return disclosure_body(disclosure, draft)


@response(200, PublicDisclosureSchema)
@needs_login
@body(ReasonSchema)
@fails(NO_DISCLOSURE, (409, "只有已公开的内容可以撤回（conflict）"))
def withdraw_disclosure(id: int):
    """Withdraw a published disclosure with `{reason}`; it stays readable, marked withdrawn."""
    disclosure = _managed(id)
    withdraw(disclosure, api_user(), _reason())
    db.session.commit()
    return disclosure_body(disclosure, current_revision(disclosure))


@response(200, PowerItemPageSchema)
@query(PageArgs)
@fails((404, "没有这个村（not_found）"))
def list_powers(slug: str):
    """The village's power list with each item's steps."""
    village = village_by_slug(slug)
    ensure_power_list(village)
    return paged(sa.select(PowerItem).options(selectinload(PowerItem.steps))
                 .where(PowerItem.village_id == village.id, PowerItem.active)
                 .order_by(PowerItem.position, PowerItem.id))


@response(200, CadrePageSchema)
@query(PageArgs)
@fails((404, "没有这个村（not_found）"))
def list_cadres(slug: str):
    """The village's cadres with duties, pledge and the routing flags."""
    village = village_by_slug(slug)
    return paged(sa.select(Cadre).where(Cadre.village_id == village.id, Cadre.active)
                 .order_by(Cadre.sort_order, Cadre.id))
