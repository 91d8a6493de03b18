"""领积分: an anonymous reporter, logged in, claims the points of an accepted report with its tracking code."""
from flask import current_app, flash, get_flashed_messages, redirect, render_template, url_for

from citizen.reports import throttle
from extensions import db
from points.claims import claim_by_code, payday
from points.forms import ClaimForm
from points.pages import person
from webforms import REFUSALS, refusal

NOTICE = "claim"


def _page(*, error=None, code="", status=200):
    """The claim form, with the last claim's notice or the reason a code was refused."""
    notices = get_flashed_messages(category_filter=[NOTICE])
    return render_template("points/claim.html", error=error, code=code[:40], notice=notices[-1] if notices else None,
                           back_url=url_for("points.my_points")), status


@throttle.wrong_codes_per_address
@throttle.wrong_codes
def claim():
    """GET the form; POST a tracking code to claim its points with tomorrow's batch (PRG)."""
    user = person()
    form = ClaimForm()
    if not form.validate_on_submit():
        throttle.mark_browser()
        return _page()
    code = form.code.data or ""
    try:
        points = claim_by_code(user, code)
        db.session.commit()
    except REFUSALS as exc:  # nothing was written; the request ends without a commit
        db.session.rollback()
        refused = refusal(exc)
        return _page(error=refused.message, code=code, status=refused.status)
    first = payday()
    flash(f"领取成功：{points} 积分已记下。为了不让人看出是哪件反映，本镇凑够{current_app.config['CLAIM_MIN_CLAIMERS']}"
          f"位村民领取后一起发放，最早{first.month}月{first.day}日到账。", NOTICE)
    return redirect(url_for("points.claim"), 303)
