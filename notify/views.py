"""我的 → 消息提醒: how a person hears of progress (WeChat, SMS or nothing), and their WeChat consents."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from errors import Invalid, Unauthorized
from extensions import db
from notify import subscriptions, wechat_page
from notify.forms import ChannelForm, UnsubscribeForm
from notify.models import STEPS
from notify.preferences import CHANNEL_NAMES, channel_of, choose_channel

STATUS_WORDS = {"active": "已订阅", "used": "已用完，需重新订阅", "revoked": "已停止"}


def _person():
    """The logged-in person, or the login page."""
    if not current_user.is_authenticated:
        raise Unauthorized()
    return current_user._get_current_object()


def preferences():
    """Choose the channel (POST saves it, then back here); see each WeChat consent and stop one."""
    user = _person()
    form = ChannelForm(channel=channel_of(user))
    error, status = None, 200
    if form.validate_on_submit():
        try:
            choose_channel(user, form.channel.data)
        except Invalid as exc:
            db.session.rollback()
            error, status = exc.message, 422
        else:
            db.session.commit()
            flash(f"已保存：{CHANNEL_NAMES[form.channel.data]}。")
            return redirect(url_for("notify.preferences"), 303)
    elif form.is_submitted():
        error, status = next(iter(form.errors.values()))[0], 422
    kinds = subscriptions.kinds_of(user)
    rows = [{"kind": kind, "step": STEPS[kind], "status": STATUS_WORDS.get(state, state), "active": state == "active"}
            for kind, state in sorted(kinds.items(), key=lambda item: list(STEPS).index(item[0]))]
    return render_template("notify/preferences.html", form=form, error=error, rows=rows,
                           wechat_login=bool(user.wechat_openid), offer=wechat_page.subscribe_offer(),
                           unsubscribe=UnsubscribeForm()), status


def unsubscribe():
    """Stop one kind of WeChat message."""
    user = _person()
    form = UnsubscribeForm()
    if not form.validate_on_submit():
        raise Invalid(next(iter(form.errors.values()))[0] if form.errors else "请选择要停止的消息。")
    subscriptions.unsubscribe(user, [form.kind.data])
    db.session.commit()
    flash(f"已停止接收“{STEPS[form.kind.data]}”的微信消息。")
    return redirect(url_for("notify.preferences"), 303)
