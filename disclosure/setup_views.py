"""The clerk's desk, part two: the power list, the cadres, the finance categories."""
import sqlalchemy as sa
from flask import redirect, render_template, url_for

from accounts.authz import authorize, village_by_slug
from disclosure.cadres import POSTS, retire_cadre, save_cadre, set_photo, village_cadres
from disclosure.forms import CadreForm, CategoriesForm, PowerItemForm, UploadForm
from disclosure.models import Cadre, PowerItem
from disclosure.powers import ensure_power_list, hide_item, save_item
from disclosure.publishing import categories_for, set_categories
from errors import NotFound
from extensions import db
from storage import Batch, commit_with, disclosure_store
from webforms import REFUSALS, refusal


def _managed(model, id: int):
    """A power item or cadre the caller may edit, else 404."""
    row = db.session.get(model, id)
    if row is None:
        raise NotFound()
    authorize("disclosure.manage", row)
    return row


def _village(slug: str):
    """A village the caller may edit, else 404."""
    village = village_by_slug(slug)
    authorize("disclosure.manage", village)
    return village


def _power_rows(village) -> list[dict]:
    """The desk's list of items with step counts (steps loaded in one query, not one per item)."""
    from sqlalchemy.orm import selectinload

    items = ensure_power_list(village)
    db.session.execute(sa.select(PowerItem).options(selectinload(PowerItem.steps))
                       .where(PowerItem.id.in_([i.id for i in items]))).scalars().all()
    return [{"id": i.id, "title": i.title, "steps": len(i.steps), "active": i.active} for i in items]


def _refused(template: str, form, exc, **context):
    """The same page again with what was typed and what to fix."""
    db.session.rollback()
    refused = refusal(exc)
    return render_template(template, error=refused.message, fields=refused.fields, form=form.posted(), **context), (
        refused.status)


def clerk_powers(slug: str):
    """The power list on the desk: every item with a link to edit it, and a form to add one."""
    village = _village(slug)
    form = PowerItemForm()
    if form.validate_on_submit():
        try:
            item = save_item(village, form.posted())
            db.session.commit()
        except REFUSALS as exc:
            return _refused("disclosure/clerk_powers.html", form, exc, village=village, items=_power_rows(village))
        return redirect(url_for("disclosure.clerk_powers", slug=slug) + f"#p-{item.id}")
    items = _power_rows(village)
    db.session.commit()
    return render_template("disclosure/clerk_powers.html", village=village, items=items, form={}, fields={})


def clerk_power_item(id: int):
    """Edit one power-list item and its steps (one per line)."""
    item = _managed(PowerItem, id)
    village = item.village
    form = PowerItemForm()
    if form.validate_on_submit():
        try:
            save_item(village, form.posted(), item)
            db.session.commit()
        except REFUSALS as exc:
            return _refused("disclosure/clerk_power_item.html", form, exc, item=item, village=village)
        return redirect(url_for("disclosure.clerk_powers", slug=village.slug) + f"#p-{id}")
    form = {"title": item.title, "responsible": item.responsible, "must_disclose": item.must_disclose,
            "steps": "\n".join(s.text for s in item.steps)}
    return render_template("disclosure/clerk_power_item.html", item=item, village=village, form=form, fields={})


def clerk_hide_power_item(id: int):
    """Take an item off the villagers' list."""
    item = _managed(PowerItem, id)
    hide_item(item)
    db.session.commit()
    return redirect(url_for("disclosure.clerk_powers", slug=item.village.slug))


def clerk_cadres(slug: str):
    """The cadres on the desk, and a form to add one."""
    village = _village(slug)
    form = CadreForm()
    if form.validate_on_submit():
        try:
            save_cadre(village, form.profile())
            db.session.commit()
        except REFUSALS as exc:
            return _refused("disclosure/clerk_cadres.html", form, exc, village=village,
                            cadres=village_cadres(village), posts=POSTS)
        return redirect(url_for("disclosure.clerk_cadres", slug=slug))
    return render_template("disclosure/clerk_cadres.html", village=village, cadres=village_cadres(village),
                           posts=POSTS, form={}, fields={})


def clerk_cadre(id: int):
    """Edit one cadre's profile."""
    cadre = _managed(Cadre, id)
    village = cadre.village
    form = CadreForm()
    if form.validate_on_submit():
        try:
            save_cadre(village, form.profile(), cadre)
            db.session.commit()
        except REFUSALS as exc:
            return _refused("disclosure/clerk_cadre.html", form, exc, cadre=cadre, village=village, posts=POSTS)
        return redirect(url_for("disclosure.clerk_cadres", slug=village.slug))
    return render_template("disclosure/clerk_cadre.html", cadre=cadre, village=village, posts=POSTS,
                           form=_profile_of(cadre), fields={})


def _profile_of(cadre: Cadre) -> dict:
    """A cadre's saved profile, as the form shows it."""
    form = {k: getattr(cadre, k) or "" for k in ("name", "post", "duties", "pledge", "office_phone", "office_hours")}
    form.update(pledge_date=cadre.pledge_date.isoformat() if cadre.pledge_date else "",
                secretary_chair=cadre.secretary_chair, committee=cadre.committee)
    return form


def clerk_cadre_photo(id: int):
    """Upload a cadre's photo; a refused file shows the cadre's page again with what is wrong."""
    cadre = _managed(Cadre, id)
    upload = UploadForm().file.data
    files = Batch(disclosure_store())
    try:
        set_photo(cadre, upload.read() if upload else b"", files)
    except REFUSALS as exc:
        files.discard()
        db.session.rollback()
        refused = refusal(exc)
        cadre = db.session.get(Cadre, id)
        return render_template("disclosure/clerk_cadre.html", cadre=cadre, village=cadre.village, posts=POSTS,
                               form=_profile_of(cadre), error=refused.message, fields=refused.fields), refused.status
    commit_with(files)
    return redirect(url_for("disclosure.clerk_cadre", id=id))


def clerk_retire_cadre(id: int):
    """Take a cadre off the page (kept for the reports that name them)."""
    cadre = _managed(Cadre, id)
    retire_cadre(cadre)
    db.session.commit()
    return redirect(url_for("disclosure.clerk_cadres", slug=cadre.village.slug))


def clerk_categories(slug: str):
    """The village's finance categories, one per line."""
    village = _village(slug)
    form = CategoriesForm()
    if form.validate_on_submit():
        try:
            set_categories(village, (form.categories.data or "").splitlines())
            db.session.commit()
        except REFUSALS as exc:
            return _refused("disclosure/clerk_categories.html", form, exc, village=village)
        return redirect(url_for("disclosure.clerk_home", v=slug))
    form = {"categories": "\n".join(categories_for(village))}
    return render_template("disclosure/clerk_categories.html", village=village, form=form, fields={})
