"""Township staff's page of failed background jobs: what failed, when, how often, why; queue again or close."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

import clock
from accounts.authz import authorize, township_ids_for
from accounts.models import Township
from extensions import db
from jobs.failures import dismiss_failure, failure_for, open_failures, retry_failure


def _township() -> Township:
    """The caller's township as its staff, or 401 / 404."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    ids = sorted(township_ids_for(user, "township")) if user else []
    township = db.session.get(Township, ids[0]) if ids else None
    authorize("township.staff", township, user)
    return township


def failed():
    """后台任务: every job that failed for good and is not dealt with yet."""
    township = _township()
    rows = [{"id": f.id, "label": f.label, "task": f.task, "at": clock.local(f.failed_at).strftime("%Y-%m-%d %H:%M"),
             "tries": f.tries, "error": f.error, "retryable": f.args_json is not None,
             "scope": township.name if f.township_id else "全系统"} for f in open_failures(township.id)]
    return render_template("jobs/failed.html", township=township, rows=rows)


def retry(failure_id: int):
    """Queue a failed job again."""
    township = _township()
    retry_failure(failure_for(township.id, failure_id), current_user.id)
    db.session.commit()
    flash("已重新排队，稍后会再次执行；如果再失败，会重新出现在这里。")
    return redirect(url_for("jobs.failed"), 303)


def dismiss(failure_id: int):
    """Close a failure that was dealt with another way."""
    township = _township()
    dismiss_failure(failure_for(township.id, failure_id), current_user.id)
    db.session.commit()
    flash("已标记为已处理。")
    return redirect(url_for("jobs.failed"), 303)
