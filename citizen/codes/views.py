"""Pages of the codes: the scan landing, and township staff's (and clerks') code management."""
from flask import make_response, redirect, render_template, request, url_for
from flask_login import current_user

from accounts.authz import allowed, authorize, pick_own, village_ids_for
from accounts.models import Village
from accounts.places import villages_by_ids
from citizen.codes import posters, qrcodes, scanning, targets
from citizen.codes.forms import CodeForm, RelabelForm, ScanForm
from citizen.codes.schemas import CodeInSchema, RelabelSchema
from errors import NotFound, Unauthorized
from extensions import db
from webforms import REFUSALS, Refusal, refusal

# What township staff may point a code at, in the order the form lists them (clerks: disclosures only).
STAFF_KINDS = ("cadre", "shop", "power_item", "event", "disclosure")


def scan_notice() -> dict:
    """`scan_notice()` for base.html: where the code that brought the villager to a target page is posted."""
    return {"scan_notice": qrcodes.take_any_scan}


def scan(code: str):
    """A scanned code: count it, remember its label for the landing page, go to its target."""
    try:
        row = qrcodes.get_code(code)
        if not row.active:
            raise qrcodes.CodeRevoked()
    except (qrcodes.CodeUnknown, qrcodes.CodeRevoked) as exc:
        return render_template("citizen/qr_invalid.html", revoked=isinstance(exc, qrcodes.CodeRevoked),
                               message=exc.message), exc.status
    qrcodes.record_scan(row)
    qrcodes.remember_scan(row)
    return redirect(qrcodes.target_url(row))


def scan_page():
    """扫一扫: inside WeChat the button asks WeChat's scanner; elsewhere the phone's camera takes a photo of the code."""
    form = ScanForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            return redirect(scanning.scanned_page(form.photo.data.read()), 303)
        except REFUSALS as exc:
            refused = refusal(exc)
            error, status = refused.message, refused.status
    elif form.is_submitted():
        error, status = next(iter(form.errors.values()))[0], 422
    return render_template("citizen/scan.html", form=form, error=error), status


def _manager():
    """The logged-in person, or the login page."""
    if not current_user.is_authenticated:
        raise Unauthorized()
    return current_user._get_current_object()


def _villages(user) -> list[Village]:
    """Villages whose codes this person may list: clerks' own, township staff's whole township."""
    villages = villages_by_ids(village_ids_for(user, "clerk", "township"))
    if not villages:
        raise NotFound()
    return villages


def manage():
    """List a village's codes with scans; create a new one (POST, then back here)."""
    user = _manager()
    villages = _villages(user)
    chosen = pick_own(villages, request.values.get("village"), lambda v: v.slug)
    authorize("village.manage_codes", chosen)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            data = CodeInSchema().load(_code_form(form))
            authorize("qr.create", (chosen, data["kind"]))
            row = qrcodes.create_code(chosen, data["kind"], data["target_id"], data["label"], user)
            db.session.commit()
        except REFUSALS as exc:
            db.session.rollback()
            return _manage_page(user, villages, chosen, form, refusal(exc), typed=form.posted())
        return redirect(url_for("codes.manage", village=chosen.slug, made=row.code) + f"#code-{row.code}")
    return _manage_page(user, villages, chosen)


def _manage_page(user, villages: list[Village], village: Village, form=None, refused: Refusal | None = None,
                 typed: dict | None = None, relabelled: tuple[str, str] | None = None):
    """The management page; after a refusal, its messages, the create form as typed, or a code's typed label."""
    page = _page(user, villages, village)
    if relabelled:
        for row in page["rows"]:
            row["label"] = relabelled[1] if row["code"] == relabelled[0] else row["label"]
    made = request.args.get("made")
    return render_template("citizen/codes.html", **page, errors=refused.named(form) if refused else [],
                           typed=typed or {}, notice=f"已生成二维码 {made}，可以打印海报了。" if made else None), (
        refused.status if refused else 200)


def _code_form(form: CodeForm) -> dict:
    """The create form's `target` choice ("cadre:5", "village", "disclosure" + number) as kind and id."""
    kind, _, target_id = (form.target.data or "").partition(":")
    return {"kind": kind, "target_id": target_id or form.target_id.data or "", "label": form.label.data or ""}


def _page(user, villages: list[Village], village: Village) -> dict:
    """Ready values for the management page."""
    rows = db.session.execute(qrcodes.village_codes(village)).scalars().all()
    scans = qrcodes.scan_totals([r.id for r in rows])
    may_manage = allowed("qr.manage", village, user)
    kinds = STAFF_KINDS if allowed("qr.create", (village, "cadre"), user) else ("disclosure",)
    options = [("village", "村首页（公开栏、村委会门口）")] if kinds == STAFF_KINDS else []
    options += targets.choices(kinds, village)
    return {
        "villages": [{"slug": v.slug, "name": v.name, "current": v.id == village.id} for v in villages],
        "village": village, "may_manage": may_manage, "targets": options,
        "all_pdf": url_for("codes.village_posters", slug=village.slug),
        "rows": [{"code": r.code, "kind": qrcodes.KIND_NAMES[r.kind], "label": r.label, "active": r.active,
                  "scans": scans.get(r.id, 0), "url": qrcodes.public_url(r),
                  "png": url_for("codes.poster", code=r.code, fmt="png"),
                  "pdf": url_for("codes.poster", code=r.code, fmt="pdf"),
                  "relabel": url_for("codes.relabel", code=r.code),
                  "revoke": url_for("codes.revoke", code=r.code)} for r in rows],
    }


def relabel(code: str):
    """Change where a code says it is posted (township staff)."""
    row = _managed(code)
    form = RelabelForm()
    try:
        data = RelabelSchema().load(form.posted())
        qrcodes.relabel_code(row, data["label"])
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        user = _manager()
        return _manage_page(user, _villages(user), row.village, form, refusal(exc),
                            relabelled=(row.code, form.label.data or ""))
    return redirect(url_for("codes.manage", village=row.village.slug) + f"#code-{row.code}")


def revoke(code: str):
    """Withdraw a lost or forged code (township staff)."""
    row = _managed(code)
    qrcodes.revoke_code(row)
    db.session.commit()
    return redirect(url_for("codes.manage", village=row.village.slug) + f"#code-{row.code}")


def _managed(code: str):
    """A code the logged-in township staff member may change."""
    _manager()
    row = qrcodes.get_code(code)
    authorize("qr.manage", row.village)
    return row


def poster(code: str, fmt: str):
    """One code's A4 poster as PNG or PDF."""
    _manager()
    row = qrcodes.get_code(code)
    authorize("village.manage_codes", row.village)
    if fmt == "png":
        return _file(posters.poster_png(row), "image/png", f"poster-{row.code}.png")
    if fmt == "pdf":
        return _file(posters.poster_pdf([row]), "application/pdf", f"poster-{row.code}.pdf")
    raise NotFound()


def village_posters(slug: str):
    """Every active code of a village, one A4 page each, as one PDF."""
    user = _manager()
    village = next((v for v in _villages(user) if v.slug == slug), None)
    if village is None:
        raise NotFound()
    authorize("village.manage_codes", village)
    rows = [r for r in db.session.execute(qrcodes.village_codes(village)).scalars() if r.active]
    return _file(posters.poster_pdf(rows), "application/pdf", f"posters-{village.slug}.pdf")


def _file(data: bytes, mimetype: str, name: str):
    """A download with a plain ASCII file name."""
    response = make_response(data)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
