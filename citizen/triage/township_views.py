"""Township pages of the triage area: the overview of every village, its trend, export, reply templates, settings."""
import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

import clock
import workdays
from accounts.authz import allowed, authorize, township_ids_for, village_by_slug
from accounts.models import Township
from accounts.places import township_by_id
from citizen.reports import deadlines
from citizen.triage import overview, queues
from citizen.triage.forms import STALE_LABEL, ReplyTemplateForm, SettingsForm
from citizen.triage.models import ReplyTemplate
from citizen.triage.replies import save_template
from disclosure.freshness import set_stale_days, stale_days
from errors import NotFound
from extensions import db
from webforms import REFUSALS, refusal

CHART_W, CHART_H, CHART_PAD = 320, 160, 24


def _township(action: str) -> Township:
    """The caller's township for `action` (township.oversee or township.staff), or 401/404."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    roles = ("township", "inspector") if action == "township.oversee" else ("township",)
    ids = sorted(township_ids_for(user, *roles)) if user else []
    township = township_by_id(ids[0] if ids else None)
    authorize(action, township, user)
    return township


def _cell(value, unit="", pct=False):
    """A figure for the table: '—' when unknown."""
    if value is None:
        return "—"
    return f"{round(value * 100)}%" if pct else f"{value}{unit}"


def trend_chart(points: list[dict]) -> dict:
    """Bar positions for a small server-rendered SVG: submitted and answered per month."""
    top = max([1] + [max(p["submitted"], p["answered"]) for p in points])
    slot = (CHART_W - CHART_PAD) / max(1, len(points))
    bars = []
    for i, p in enumerate(points):
        x = CHART_PAD + i * slot
        for j, key in enumerate(("submitted", "answered")):
            h = round((CHART_H - 30) * p[key] / top, 1)
            bars.append({"x": round(x + j * slot / 2.4, 1), "y": round(CHART_H - 16 - h, 1), "w": round(slot / 2.6, 1),
                         "h": h, "kind": key, "value": p[key]})
    labels = [{"x": round(CHART_PAD + i * slot + slot / 3, 1), "text": p["month"][5:]} for i, p in enumerate(points)]
    return {"w": CHART_W, "h": CHART_H, "bars": bars, "labels": labels, "top": top, "base": CHART_H - 16}


def township_overview():
    """One row per village: open and overdue cases, answer time, satisfaction, disclosure age, health."""
    township = _township("township.oversee")
    sort = request.args.get("sort", "health")
    rows = overview.township_rows(township, sort)
    shown = [dict(r, satisfaction_text=_cell(r["satisfaction"], pct=True),
                  avg_text=_cell(r["avg_answer_days"], "天"), finance_text=_cell(r["days_since_finance"], "天"),
                  issued_text=_cell(r["points_issued"]), redeemed_text=_cell(r["points_redeemed"])) for r in rows]
    return render_template("triage/township.html", township=township, rows=shown, sort=sort,
                           sort_keys=overview.SORT_KEYS, can_edit=allowed("township.staff", township),
                           limits=deadlines.settings_for(township.id), stale_days=stale_days(township.id))


def township_export():
    """The overview as a spreadsheet."""
    township = _township("township.oversee")
    data = overview.rows_xlsx(township, overview.township_rows(township))
    name = f"villages-{clock.local(clock.now()):%Y%m%d}.xlsx"
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def village_trend(slug: str):
    """A village's cases by month over the last year, as an SVG drawn on the server."""
    township = _township("township.oversee")
    village = village_by_slug(slug)
    if village.township_id != township.id:
        raise NotFound()
    points = queues.monthly_trend(village)
    row = next(r for r in overview.township_rows(township) if r["slug"] == slug)
    return render_template("triage/trend.html", village=village, points=points, chart=trend_chart(points),
                           row=row, satisfaction_text=_cell(row["satisfaction"], pct=True))


def reply_templates():
    """The township's reply templates: list, add, edit, delete (township staff)."""
    township = _township("township.staff")
    form, refused = ReplyTemplateForm(), None
    if form.validate_on_submit():
        try:
            save_template(township, form.posted())
            db.session.commit()
        except NotFound:
            raise  # another township's template: the 404 page
        except REFUSALS as exc:
            db.session.rollback()
            refused = refusal(exc)
        else:
            flash("模板已保存。")
            return redirect(url_for("triage.reply_templates"))
    items = db.session.execute(sa.select(ReplyTemplate).where(ReplyTemplate.township_id == township.id)
                               .order_by(ReplyTemplate.title)).scalars().all()
    return render_template("triage/templates.html", items=items, error=refused and refused.message,
                           form=form.posted() if refused else {}), refused.status if refused else 200


def township_settings():
    """The township's deadlines and health thresholds (township staff)."""
    return _settings_page(_township("township.staff"))


def _settings_page(township: Township):
    """GET shows the township's deadlines and thresholds; POST saves them (PRG)."""
    form, refused = SettingsForm(), None
    if form.validate_on_submit():
        typed = form.posted()
        try:
            stale = set_stale_days(township, typed.get("finance_stale_days", ""))
            deadlines.save_settings(township.id, typed, stale.finance_stale_days)
            db.session.commit()
        except REFUSALS as exc:
            db.session.rollback()
            refused = refusal(exc)
        else:
            flash("设置已保存，新的期限对之后的受理和提级生效。")
            return redirect(url_for("triage.township_settings"))
    current = {**{key: getattr(deadlines.settings_for(township.id), key) for key in deadlines.SETTING_LIMITS},
               "finance_stale_days": stale_days(township.id)}
    labels = {key: label for key, (label, _low, _high) in deadlines.SETTING_LIMITS.items()}
    labels["finance_stale_days"] = STALE_LABEL
    typed, fields = (form.posted(), refused.fields) if refused else ({}, {})
    items = [{"key": key, "label": label, "value": typed.get(key) if refused else current[key],
              "errors": fields.get(key, [])} for key, label in labels.items()]
    mode = (typed.get("deadline_mode") if refused else None) or deadlines.settings_for(township.id).deadline_mode
    return render_template("triage/settings.html", township=township, items=items,
                           error=refused and refused.message, modes=workdays.MODE_NAMES, mode=mode,
                           mode_errors=fields.get("deadline_mode", []),
                           mode_warning=deadlines.unknown_year_warning(township.id)), refused.status if refused else 200
