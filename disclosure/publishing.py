"""The life of a disclosure: draft → published → corrected (a new revision) or withdrawn. Flush, never commit."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import clock
from accounts.models import User, Village
from disclosure.models import CATEGORIES, MODES, DEFAULT_FINANCE_CATEGORIES, Attachment, Disclosure, FinanceCategory, \
    FinanceLine, Revision
from disclosure.lines import COLUMNS, read_line
from disclosure.periods import PeriodError, parse_period
from disclosure.revisions import summarize
from errors import Conflict, Invalid, NotFound
from extensions import db

MAX_LINES = 5000
BODY_LIMIT = 20000


def categories_for(village: Village) -> list[str]:
    """The village's finance categories; the default list until the clerk saves one of their own."""
    names = db.session.execute(sa.select(FinanceCategory.name).where(FinanceCategory.village_id == village.id)
                               .order_by(FinanceCategory.position, FinanceCategory.id)).scalars().all()
    return list(names) or list(DEFAULT_FINANCE_CATEGORIES)


def set_categories(village: Village, names: list[str]) -> list[str]:
    """Replace the village's category list; names in use by lines stay valid on those lines."""
    clean = []
    for name in (n.strip() for n in names):
        if name and name not in clean:
            if len(name) > 20:
                raise Invalid(f"类别“{name}”太长，最多20个字。", fields={"categories": ["每个类别最多20个字。"]})
            clean.append(name)
    if not clean:
        raise Invalid("至少要有一个类别。", fields={"categories": ["至少要有一个类别。"]})
    db.session.execute(sa.delete(FinanceCategory).where(FinanceCategory.village_id == village.id))
    db.session.add_all(FinanceCategory(village_id=village.id, name=n, position=i) for i, n in enumerate(clean))
    db.session.flush()
    return clean


def _check_meta(data: dict, category: str) -> dict:
    """Title, mode, period and body checked together; raise Invalid naming every bad field."""
    errors = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = ["请填写标题。"]
    elif len(title) > 120:
        errors["title"] = ["标题最多120个字。"]
    mode = data.get("mode")
    if mode not in MODES:
        errors["mode"] = ["公开方式只能是：常规、定期、即时。"]
    period = ""
    try:
        period = parse_period(data.get("period"))
    except PeriodError as exc:
        errors["period"] = [str(exc)]
    if mode == "periodic" and not period and "period" not in errors:
        errors["period"] = ["定期公开请填写期间，例如 2026年10月。"]
    body = (data.get("body") or "").replace("\r\n", "\n").strip()
    if len(body) > BODY_LIMIT:
        errors["body"] = [f"正文最多{BODY_LIMIT}个字。"]
    if category != "finance" and not body:
        errors["body"] = ["请填写正文。"]
    if errors:
        raise Invalid(fields=errors)
    return {"title": title, "mode": mode, "period": period, "body": body}


def check_lines(village: Village, raw_lines: list[dict], numbers: list[int] | None = None) -> list[dict]:
    """Check many lines at once; raise Invalid listing every bad one by row number (nothing is kept)."""
    if len(raw_lines) > MAX_LINES:
        raise Invalid(f"一次最多{MAX_LINES}笔。", fields={"lines": [f"一次最多{MAX_LINES}笔。"]})
    categories = categories_for(village)
    today = clock.local(clock.now()).date()
    clean, rows = [], []
    for number, raw in zip(numbers or range(1, len(raw_lines) + 1), raw_lines):
        line, errors = read_line(raw, categories, today)
        rows += [{"row": number, "field": f, "column": COLUMNS[f], "message": m} for f, m in errors.items()]
        clean.append(line)
    if rows:
        raise Invalid(f"有{len({r['row'] for r in rows})}笔填写有误，一笔也没有保存，请改好后再提交。",
                      code="bad_lines", extra={"rows": rows})
    return clean


def create_disclosure(village: Village, actor: User | None, data: dict) -> Disclosure:
    """Start a disclosure as a draft (revision 1), with finance lines if given."""
    category = data.get("category")
    if category not in CATEGORIES:
        raise Invalid(fields={"category": ["类别只能是：党务、村务、财务。"]})
    meta = _check_meta(data, category)
    lines = data.get("lines") or []
    if lines and category != "finance":
        raise Invalid(fields={"lines": ["只有财务公开才有收支明细。"]})
    clean = check_lines(village, lines) if lines else []
    disclosure = Disclosure(village_id=village.id, category=category, mode=meta["mode"], title=meta["title"],
                            period=meta["period"], status="draft", revision=0,
                            created_by=actor.id if actor else None)
    db.session.add(disclosure)
    db.session.flush()
    draft = Revision(disclosure_id=disclosure.id, number=1, title=meta["title"], period=meta["period"],
                     body=meta["body"], author_id=actor.id if actor else None)
    db.session.add(draft)
    db.session.flush()
    _insert_lines(draft, clean, start=0)
    return disclosure


def draft_of(disclosure: Disclosure) -> Revision | None:
    """The revision being prepared (first publication or a correction), if any."""
    return db.session.execute(sa.select(Revision).where(Revision.disclosure_id == disclosure.id,
                                                        Revision.published_at.is_(None))).scalar_one_or_none()


def current_revision(disclosure: Disclosure) -> Revision | None:
    """The revision villagers read; None while never published."""
    if not disclosure.revision:
        return None
    return db.session.execute(sa.select(Revision).where(Revision.disclosure_id == disclosure.id,
                                                        Revision.number == disclosure.revision)).scalar_one()


def editable_draft(disclosure: Disclosure) -> Revision:
    """The draft to change, or Conflict: a published revision is never changed."""
    if disclosure.status == "withdrawn":
        raise Conflict("这条公开已撤回，不能再修改。")
    draft = draft_of(disclosure)
    if draft is None:
        raise Conflict("已公开的内容不能直接修改，请先点“更正”生成新版本。")
    return draft


def update_draft(disclosure: Disclosure, actor: User | None, data: dict) -> Revision:
    """Change a draft's title, mode, period and body."""
    draft = editable_draft(disclosure)
    meta = _check_meta({"mode": disclosure.mode, **data}, disclosure.category)
    draft.title, draft.period, draft.body = meta["title"], meta["period"], meta["body"]
    if disclosure.status == "draft":  # a never-published disclosure may still change mode and mirrors
        disclosure.mode, disclosure.title, disclosure.period = meta["mode"], meta["title"], meta["period"]
    db.session.flush()
    return draft


def _insert_lines(revision: Revision, clean: list[dict], start: int) -> None:
    """Insert checked lines in bulk, numbered from `start`."""
    if clean:
        db.session.execute(sa.insert(FinanceLine), [
            {**line, "revision_id": revision.id, "position": start + i} for i, line in enumerate(clean)])
        db.session.expire(revision, ["lines"])


def _line_count(revision: Revision) -> int:
    """How many lines a revision holds."""
    return db.session.execute(sa.select(sa.func.count(FinanceLine.id))
                              .where(FinanceLine.revision_id == revision.id)).scalar_one()


def add_lines(disclosure: Disclosure, actor: User | None, raw_lines: list[dict], replace: bool = False,
              numbers: list[int] | None = None) -> int:
    """Add checked lines to the draft (all or nothing); `replace` first removes the draft's lines."""
    if disclosure.category != "finance":
        raise Invalid(fields={"lines": ["只有财务公开才有收支明细。"]})
    draft = editable_draft(disclosure)
    clean = check_lines(disclosure.village, raw_lines, numbers)
    if replace:
        db.session.execute(sa.delete(FinanceLine).where(FinanceLine.revision_id == draft.id))
        start = 0
    else:
        start = _line_count(draft)
        if start + len(clean) > MAX_LINES:
            raise Invalid(f"一条公开最多{MAX_LINES}笔，现在已有{start}笔。", fields={"lines": ["笔数太多。"]})
    _insert_lines(draft, clean, start)
    db.session.flush()
    return len(clean)


def remove_line(disclosure: Disclosure, actor: User | None, line_id: int) -> None:
    """Take one line out of the draft."""
    draft = editable_draft(disclosure)
    line = db.session.get(FinanceLine, line_id)
    if line is None or line.revision_id != draft.id:
        raise NotFound("草稿里没有这一笔。")
    db.session.delete(line)
    db.session.flush()


def change_line(disclosure: Disclosure, actor: User | None, line_id: int, raw: dict) -> FinanceLine:
    """Rewrite one line of the draft (a published line is never touched: corrections copy it first)."""
    draft = editable_draft(disclosure)
    line = db.session.get(FinanceLine, line_id)
    if line is None or line.revision_id != draft.id:
        raise NotFound("草稿里没有这一笔。")
    clean = check_lines(disclosure.village, [raw])[0]
    for field, value in clean.items():
        setattr(line, field, value)
    db.session.flush()
    return line


def publish(disclosure: Disclosure, actor: User | None, reason: str | None = None,
            at: datetime | None = None) -> Revision:
    """Publish the draft: the first publication, or a correction (which needs a reason).

    `at` records history kept on paper before the site existed (the demo seed); pages and API never pass it.
    """
    draft = editable_draft(disclosure)
    reason = (reason or "").strip()
    if draft.number > 1 and len(reason) < 2:
        raise Invalid("更正必须写明原因，村民会看到。", fields={"reason": ["请写明更正原因。"]})
    if disclosure.category == "finance" and _line_count(draft) == 0:
        raise Invalid("财务公开至少要有一笔收支，请先导入或添加明细。", fields={"lines": ["还没有收支明细。"]})
    now = at or clock.now()
    if draft.number > 1:
        previous = current_revision(disclosure)
        draft.changes = summarize(previous, draft)
        draft.reason = reason
        disclosure.corrected_at = now
    else:
        disclosure.published_at = now
        disclosure.status = "published"
    draft.published_at = now
    draft.author_id = actor.id if actor else draft.author_id
    disclosure.revision = draft.number
    disclosure.title, disclosure.period = draft.title, draft.period
    db.session.flush()
    return draft


def start_correction(disclosure: Disclosure, actor: User | None) -> Revision:
    """Open a correction: a new draft revision copied from the published one (or the open one)."""
    if disclosure.status != "published":
        raise Conflict("只有已公开的内容可以更正。" if disclosure.status == "draft" else "已撤回的公开不能更正。")
    existing = draft_of(disclosure)
    if existing is not None:
        return existing
    current = current_revision(disclosure)
    draft = Revision(disclosure_id=disclosure.id, number=current.number + 1, title=current.title,
                     period=current.period, body=current.body, author_id=actor.id if actor else None)
    try:
        with db.session.begin_nested():
            db.session.add(draft)
    except IntegrityError:  # another clerk opened the same correction a moment ago
        return draft_of(disclosure)
    db.session.execute(sa.insert(FinanceLine).from_select(
        ["revision_id", "position", "date", "direction", "amount_fen", "category", "text", "counterparty", "voucher"],
        sa.select(sa.literal(draft.id), FinanceLine.position, FinanceLine.date, FinanceLine.direction,
                  FinanceLine.amount_fen, FinanceLine.category, FinanceLine.text, FinanceLine.counterparty,
                  FinanceLine.voucher).where(FinanceLine.revision_id == current.id)))
    _copy_attachments(current, draft)
    return draft


def _copy_attachments(source: Revision, target: Revision) -> None:
    """A correction starts with the same attachments (files are never changed, so rows may share them)."""
    for a in source.attachments:
        db.session.add(Attachment(revision_id=target.id, kind=a.kind, name=a.name, storage_key=a.storage_key,
                                  size_bytes=a.size_bytes))
    db.session.flush()


def discard_draft(disclosure: Disclosure, actor: User | None) -> bool:
    """Throw away an unpublished correction, or a never-published disclosure; True if the disclosure is gone."""
    draft = editable_draft(disclosure)
    db.session.delete(draft)
    if disclosure.status == "draft":
        db.session.flush()
        db.session.delete(disclosure)
        db.session.flush()
        return True
    db.session.flush()
    return False


def withdraw(disclosure: Disclosure, actor: User | None, reason: str) -> Disclosure:
    """Take a published disclosure off the board; it stays readable, marked withdrawn with the reason."""
    if disclosure.status != "published":
        raise Conflict("只有已公开的内容可以撤回。")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise Invalid("撤回必须写明原因，村民会看到。", fields={"reason": ["请写明撤回原因。"]})
    draft = draft_of(disclosure)
    if draft is not None:
        db.session.delete(draft)
    disclosure.status = "withdrawn"
    disclosure.withdrawn_at = clock.now()
    disclosure.withdraw_reason = reason
    db.session.flush()
    return disclosure
