"""Privacy pages: the notice every form links to (what is kept, for how long), and the township's settings."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from accounts.authz import authorize, township_ids_for
from accounts.places import find_village, township_by_id
from accounts.retention import LIMITS, policy_for, save_policy
from errors import Invalid, NotFound
from extensions import db
from privacy.forms import RetentionForm


def notice():
    """个人信息保护说明, with the periods of the township of the village the visitor came from (if any)."""
    village = find_village(_remembered_slug())
    policy = policy_for(village.township_id) if village else None
    return render_template("privacy/notice.html", village=village, periods=_periods(policy))


def village_notice(slug: str):
    """The notice with this village's township's periods."""
    village = find_village(slug)
    if village is None:
        raise NotFound()
    return render_template("privacy/notice.html", village=village, periods=_periods(policy_for(village.township_id)))


def settings():
    """Township staff set how long closed cases, photos, login codes and counts are kept (PRG)."""
    township = _staff_township()
    policy, form = policy_for(township.id), RetentionForm()
    error, fields = None, {}
    if form.validate_on_submit():
        try:
            save_policy(township.id, form.posted())
        except Invalid as err:
            error, fields = err.message, err.fields or {}
        else:
            db.session.commit()
            flash("保存期限已更新，到期的记录会在每天的清理中删除。")
            return redirect(url_for("privacy.settings"))
    items = [{"key": key, "label": label, "value": form[key].data if form.is_submitted() else getattr(policy, key),
              "errors": fields.get(key, []), "range": f"{low}到{high}天"} for key, (label, low, high) in LIMITS.items()]
    return render_template("privacy/settings.html", township=township, items=items, error=error), 422 if error else 200


def _staff_township():
    """The caller's township as its staff, else 401/404."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    ids = sorted(township_ids_for(user, "township")) if user else []
    township = township_by_id(ids[0] if ids else None)
    authorize("township.staff", township, user)
    return township


def _remembered_slug() -> str | None:
    """The village a visitor last opened (the cookie the village home sets)."""
    from flask import request

    from shell import VILLAGE_COOKIE

    return request.cookies.get(VILLAGE_COOKIE)


def _periods(policy) -> dict | None:
    """The periods in words, e.g. {"closed_case": "1095天（约3年）"}."""
    if policy is None:
        return None
    return {key: _days(getattr(policy, key)) for key in LIMITS}


def _days(days: int) -> str:
    """1095 → 1095天（约3年）; 30 → 30天."""
    if days >= 365:
        return f"{days}天（约{round(days / 365)}年）"
    return f"{days}天"
