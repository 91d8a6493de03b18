"""The clerk's desk: drafts, import, publish, correct, withdraw, and the import templates."""
import sqlalchemy as sa
from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

import clock
from accounts.authz import allowed, authorize, pick_own, village_by_slug, village_ids_for
from accounts.models import Village
from accounts.places import village_by_id, villages_by_ids
from disclosure.attachments import add_attachment, attachments_of, remove_attachment
from disclosure.board import status_label
from disclosure.forms import DraftForm, LineForm, NewDisclosureForm, ReasonForm, UploadForm
from disclosure.freshness import stale_days
from disclosure.importing import import_lines
from disclosure.amounts import plain_yuan
from disclosure.models import CATEGORIES, MODES, Disclosure, FinanceLine
from disclosure.periods import period_label
from disclosure.publishing import add_lines, categories_for, change_line, create_disclosure, current_revision, discard_draft, \
    draft_of, publish, remove_line, start_correction, update_draft, withdraw
from disclosure.receipt import lines_of, receipt_lines
from disclosure.sheet_template import template_csv, template_xlsx
from errors import Invalid, NotFound, Unauthorized
from extensions import db
from storage import Batch, commit_with, disclosure_store
from webforms import REFUSALS, Refusal, refusal

SHOWN_DRAFT_LINES = 300


def _me():
    """The logged-in person, or a redirect to the login page."""
    if not current_user.is_authenticated:
        raise Unauthorized()
    return current_user._get_current_object()


def desk_villages(user) -> list[Village]:
    """Villages whose disclosures this person may manage."""
    return villages_by_ids(village_ids_for(user, "clerk", "township"))


def _disclosure(id: int) -> Disclosure:
    """A disclosure the caller may manage, else 404."""
    disclosure = db.session.get(Disclosure, id)
    if disclosure is None:
        raise NotFound("没有找到这条公开。")
    authorize("disclosure.manage", disclosure)
    return disclosure


def _home_page(user, villages: list[Village], village: Village, typed: dict | None = None,
               refused: Refusal | None = None):
    """The desk of one village; after a refusal, the new-disclosure form as typed and what to fix."""
    rows = db.session.execute(sa.select(Disclosure).where(Disclosure.village_id == village.id)
                              .order_by((Disclosure.status == "draft").desc(), Disclosure.id.desc())).scalars()
    items = [{"id": d.id, "title": d.title, "category": CATEGORIES[d.category], "period": period_label(d.period),
              "status": status_label(d), "draft": d.status == "draft"} for d in rows]
    township = village.township if allowed("disclosure.settings", village.township, user) else None
    return render_template("disclosure/clerk_home.html", village=village, villages=villages, items=items,
                           categories=CATEGORIES, modes=MODES, township=township,
                           stale_days=stale_days(village.township_id), form=typed or {},
                           error=refused.message if refused else None, fields=refused.fields if refused else None), (
        refused.status if refused else 200)


def clerk_home():
    """The desk: pick a village, see drafts and published disclosures, start a new one."""
    user = _me()
    villages = desk_villages(user)
    if not villages:
        raise NotFound()
    village = pick_own(villages, request.args.get("v"), lambda v: v.slug)
    return _home_page(user, villages, village)


def clerk_create(slug: str):
    """Start a draft from the new-disclosure form."""
    village = village_by_slug(slug)
    authorize("disclosure.manage", village)
    user = _me()
    form = NewDisclosureForm()
    try:
        disclosure = create_disclosure(village, user, form.posted())
        if form.publish.data:  # 即时公开: straight onto the board
            publish(disclosure, user)
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        return _home_page(user, desk_villages(user), village_by_id(village.id), form.posted(), refusal(exc))
    return redirect(url_for("disclosure.clerk_edit", id=disclosure.id,
                            published=1 if disclosure.status == "published" else None))


def edit_context(disclosure: Disclosure) -> dict:
    """What the edit page shows: the draft (or the published revision) and its lines."""
    draft = draft_of(disclosure)
    shown = draft or current_revision(disclosure)
    lines = lines_of(shown) if disclosure.category == "finance" else []
    return {"d": disclosure, "village": disclosure.village, "draft": draft, "shown": shown,
            "status": status_label(disclosure),
            "period_label": period_label(shown.period), "modes": MODES, "category": CATEGORIES[disclosure.category],
            "lines": receipt_lines(lines[:SHOWN_DRAFT_LINES]), "line_count": len(lines),
            "categories": categories_for(disclosure.village), "today": clock.local(clock.now()).date().isoformat(),
            "correction": draft is not None and draft.number > 1, "attachments": attachments_of(shown)}


def _edit_page(disclosure: Disclosure, refused: Refusal | None = None, typed: dict | None = None):
    """Render the edit page; after a refusal, what to fix (every bad row of an import) and the form as typed.

    `typed` holds the refused form's inputs under the form's name ("draft", "line", "publish", "withdraw").
    """
    disclosure = db.session.get(Disclosure, disclosure.id)
    return render_template("disclosure/clerk_edit.html", **edit_context(disclosure), typed=typed or {},
                           error=refused.message if refused else None, fields=refused.fields if refused else None,
                           rows=refused.extra.get("rows") if refused else None), refused.status if refused else 200


def clerk_edit(id: int):
    """One disclosure on the desk: edit the draft, import lines, publish, correct or withdraw."""
    return _edit_page(_disclosure(id))


def _act(id: int, action, *args, then=None, files: Batch | None = None, typed: dict | None = None, page=None):
    """Run one domain action on a disclosure, commit (its staged `files` published first), and redirect (by
    default back to the desk page); a refusal shows the desk page (or `page(disclosure, refusal)`) again with
    what to fix and `typed`, keeping no file. A line or attachment not in the draft is the 404 page."""
    disclosure = _disclosure(id)
    try:
        result = action(disclosure, _me(), *args)
    except REFUSALS as exc:
        if files:
            files.discard()
        if getattr(exc, "status", None) == 404 and not isinstance(exc, Invalid):
            raise
        db.session.rollback()
        return page(disclosure, refusal(exc)) if page else _edit_page(disclosure, refusal(exc), typed)
    commit_with(files)
    return redirect(then(result) if then else url_for("disclosure.clerk_edit", id=id))


def clerk_update(id: int):
    """Save the draft's title, mode, period and body."""
    form = DraftForm()
    return _act(id, update_draft, form.posted(), typed={"draft": form.posted()})


def clerk_import(id: int):
    """Replace the draft's lines with an uploaded spreadsheet (all or nothing)."""
    upload = UploadForm().file.data
    data = upload.read() if upload else b""
    return _act(id, import_lines, upload.filename if upload else "", data,
                then=lambda count: url_for("disclosure.clerk_edit", id=id, imported=count))


def clerk_add_line(id: int):
    """Add one line typed into the form."""
    form = LineForm()
    return _act(id, add_lines, [form.posted()], then=lambda _: url_for("disclosure.clerk_edit", id=id) + "#lines",
                typed={"line": form.posted()})


def clerk_line(id: int, line_id: int):
    """Change one line of the draft (a wrong amount in a correction, say)."""
    form = LineForm()
    if form.validate_on_submit():
        return _act(id, change_line, line_id, form.posted(),
                    then=lambda _: url_for("disclosure.clerk_edit", id=id) + "#lines",
                    page=lambda disclosure, refused: _line_page(disclosure, line_id, form.posted(), refused))
    disclosure = _disclosure(id)
    draft = draft_of(disclosure)
    line = db.session.get(FinanceLine, line_id)
    if draft is None or line is None or line.revision_id != draft.id:
        raise NotFound("草稿里没有这一笔。")
    saved = {"date": line.date.isoformat(), "direction": line.direction, "amount": plain_yuan(line.amount_fen),
             "category": line.category, "text": line.text, "counterparty": line.counterparty, "voucher": line.voucher}
    return _line_page(disclosure, line_id, saved)


def _line_page(disclosure: Disclosure, line_id: int, values: dict, refused: Refusal | None = None):
    """The page of one draft line, with its values (as typed, after a refusal, with what to fix)."""
    return render_template("disclosure/clerk_line.html", d=disclosure, village=disclosure.village, line_id=line_id,
                           form=values, categories=categories_for(disclosure.village),
                           error=refused.message if refused else None, fields=refused.fields if refused else None), (
        refused.status if refused else 200)


def clerk_remove_line(id: int, line_id: int):
    """Take a line out of the draft."""
    return _act(id, remove_line, line_id, then=lambda _: url_for("disclosure.clerk_edit", id=id) + "#lines")


def clerk_attach(id: int):
    """Attach an image (re-encoded, metadata stripped) or a PDF to the draft."""
    upload = UploadForm().file.data
    files = Batch(disclosure_store())
    return _act(id, add_attachment, upload.filename if upload else "", upload.read() if upload else b"", files,
                then=lambda _: url_for("disclosure.clerk_edit", id=id) + "#files", files=files)


def clerk_detach(id: int, attachment_id: int):
    """Take an attachment off the draft."""
    return _act(id, remove_attachment, attachment_id, then=lambda _: url_for("disclosure.clerk_edit", id=id) + "#files")


def clerk_publish(id: int):
    """Publish the draft or the correction."""
    form = ReasonForm()
    return _act(id, publish, form.reason.data, then=lambda _: url_for("disclosure.clerk_edit", id=id, published=1),
                typed={"publish": form.posted()})


def clerk_correct(id: int):
    """Open a correction (a new draft revision)."""
    return _act(id, start_correction)


def clerk_withdraw(id: int):
    """Withdraw a published disclosure with a reason."""
    form = ReasonForm()
    return _act(id, withdraw, form.reason.data or "", typed={"withdraw": form.posted()})


def clerk_discard(id: int):
    """Throw away the unpublished draft or correction."""
    slug = _disclosure(id).village.slug
    return _act(id, discard_draft, then=lambda gone: url_for("disclosure.clerk_home", v=slug) if gone
                else url_for("disclosure.clerk_edit", id=id))


def clerk_template(kind: str):
    """Download the import template with the village's categories."""
    user = _me()
    villages = desk_villages(user)
    if not villages:
        raise NotFound()
    village = pick_own(villages, request.args.get("v"), lambda v: v.slug)
    if kind == "xlsx":
        body = template_xlsx(categories_for(village))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = template_csv()
        mimetype = "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=finance-template.{kind}; "
                               f"filename*=UTF-8''%E6%94%B6%E6%94%AF%E6%98%8E%E7%BB%86%E6%A8%A1%E6%9D%BF.{kind}"})
