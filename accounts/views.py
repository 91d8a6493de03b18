"""Pages for logging in and out, the villager's 我的 page, and the text-size switch."""
import secrets

from flask import (abort, current_app, make_response, redirect, render_template, request, session,
                   url_for)
from flask_login import current_user, login_required, login_user, logout_user

from accounts import otp, wechat
from accounts.authz import home_village, village_by_slug
from accounts.forms import CodeForm, PasswordLoginForm, PhoneForm, TextSizeForm
from accounts.login import authenticate, bind_openid, end_sessions, user_by_openid
from accounts.menu import me_links
from accounts.phones import mask_phone
from accounts.ratelimit import address_only_key, phone_key
from accounts.redirects import local_or, safe_next
from accounts.sms import DevOutbox, sender
from errors import DomainError, NotFound
from extensions import csrf, db, limiter
from shell import TEXT_SIZE_COOKIE, VILLAGE_COOKIE
from transactions import own_transaction
from webforms import REFUSALS, refusal

# What a logged-in villager finds under 我的.
ME_LINKS = (("我实名反映的事", "reports.my_reports"), ("用查询码查进展", "reports.track"), ("我的积分", "points.my_points"))


def landing_for(user) -> str:
    """Where a person goes after logging in: their desk, or their village for villagers."""
    roles = user.roles()
    if roles & {"committee", "inspector", "township", "clerk", "shopkeeper"}:
        return url_for("accounts.staff_home")
    village = home_village(user)
    return url_for("home.village_home", slug=village.slug) if village else url_for("accounts.me")


@limiter.limit("30 per minute", key_func=address_only_key, methods=["POST"])
@limiter.limit("10 per 10 minutes", key_func=phone_key, methods=["POST"])
def login():
    """Phone + password for staff; villagers are pointed to the code login."""
    form = PasswordLoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.phone.data, form.password.data)
        except REFUSALS as exc:
            refused = refusal(exc)
            error, status = refused.message, refused.status  # 401 for a wrong password, 422 for a malformed phone
        else:
            login_user(user)
            return redirect(safe_next(landing_for(user)))
    elif form.is_submitted():
        error, status = "请填写手机号和密码。", 422
    return render_template("accounts/login.html", form=form, error=error, wechat=wechat.enabled()), status


@limiter.limit("30 per hour", key_func=address_only_key, methods=["POST"])
@limiter.limit("1 per minute;5 per hour", key_func=phone_key, methods=["POST"])
def login_sms():
    """Step one: send a 6-digit code to the villager's phone."""
    form = PhoneForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            phone = otp.send_code(form.phone.data)
            db.session.commit()
        except REFUSALS as exc:
            refused = refusal(exc)
            error, status = refused.message, refused.status
        else:
            return redirect(url_for("accounts.login_sms_verify", phone=phone, next=safe_next("")))
    elif form.is_submitted():
        status = 422  # the missing phone is said under its input
    return render_template("accounts/login_sms.html", form=form, error=error), status


@limiter.limit("20 per 10 minutes", key_func=phone_key, methods=["POST"])
def login_sms_verify():
    """Step two: check the code, log the villager in, bind a pending WeChat openid."""
    form = CodeForm(phone=request.args.get("phone", ""))
    error, status = None, 200
    if form.validate_on_submit():
        village = _remembered_village()
        try:
            user = otp.verify_code(form.phone.data, form.code.data, village)
        except REFUSALS as exc:
            db.session.commit()  # keep the failed-try count
            refused = refusal(exc)
            error, status = refused.message, refused.status
        else:
            _bind_pending_openid(user)
            db.session.commit()
            login_user(user)
            return redirect(safe_next(landing_for(user)))
    elif form.is_submitted():
        error, status = next(iter(form.errors.values()))[0], 422
    return render_template("accounts/login_sms_verify.html", form=form, error=error,
                           masked=mask_phone(form.phone.data or "")), status


def login_wechat():
    """Send WeChat's browser to the silent snsapi_base authorisation."""
    if not wechat.enabled():
        raise NotFound()
    session["wechat_state"] = state = secrets.token_urlsafe(16)
    session["wechat_next"] = safe_next("")
    callback = current_app.config["BASE_URL"] + url_for("accounts.login_wechat_callback")
    return redirect(wechat.authorize_url(callback, state))


def login_wechat_callback():
    """WeChat returns with a code: exchange it, then log in or bind the openid to a phone account."""
    if not wechat.enabled():
        raise NotFound()
    expected = session.pop("wechat_state", None)
    if not expected or request.args.get("state") != expected or not request.args.get("code"):
        raise DomainError("微信登录链接已失效，请重新进入。", code="bad_state")
    openid = wechat.exchange_code(request.args["code"])
    user = user_by_openid(openid)
    if user is None and current_user.is_authenticated:
        user = current_user._get_current_object()
        with own_transaction():  # WeChat returns with a GET, so the binding is a write of its own
            bind_openid(user.id, openid)
    if user is None:
        # First time: bind this openid once the villager proves their phone with a code.
        session["pending_openid"] = openid
        return redirect(url_for("accounts.login_sms", next=local_or(session.pop("wechat_next", ""), "")))
    if not user.active:
        raise DomainError("该账号已停用。", code="inactive")
    login_user(user)
    return redirect(local_or(session.pop("wechat_next", ""), landing_for(user)))


def _bind_pending_openid(user) -> None:
    """Attach the openid of an interrupted WeChat login to the account that just proved its phone."""
    openid = session.pop("pending_openid", None)
    if openid and not user.wechat_openid:
        user.wechat_openid = openid


def _remembered_village():
    """The village a villager last visited, to enrol a first-time account there."""
    slug = request.cookies.get(VILLAGE_COOKIE)
    if not slug:
        return None
    try:
        return village_by_slug(slug)
    except NotFound:
        return None


def logout():
    """Log out everywhere (every copy of the cookie, every token) and go back to the start page."""
    if current_user.is_authenticated:
        end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    return redirect(url_for("home.index"))


def dev_outbox():
    """The development SMS outbox: reachable only in debug or testing, never in production."""
    outbox = sender()
    if not current_app.config["SHOW_DEV_OUTBOX"] or not isinstance(outbox, DevOutbox):
        abort(404)
    return render_template("accounts/dev_outbox.html", messages=list(outbox.messages))


@csrf.exempt  # it only sets the browser's own text size, so a page with just this button needs no session
def text_size():
    """Switch 大字 on or off; remembered in a cookie for a year (no CSRF token: a forged switch only changes the size)."""
    response = make_response(redirect(safe_next(url_for("home.index"))))
    big = TextSizeForm().big.data == "1"
    response.set_cookie(TEXT_SIZE_COOKIE, "1" if big else "0", max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=False)
    return response


def me():
    """我的: the villager's account, or the way to log in."""
    links = [(label, url_for(endpoint)) for label, endpoint in (*ME_LINKS, *me_links())]
    return render_template("accounts/me.html", me_links=links)


@login_required
def staff_home():
    """The desks this person can open."""
    return render_template("accounts/staff_home.html",
                           me_links=[(label, url_for(endpoint)) for label, endpoint in me_links()])
