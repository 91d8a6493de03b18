"""Logging in: passwords, bearer tokens, and ending every session of an account at once."""
import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.models import User
from accounts.phones import normalize_phone
from errors import DomainError, Unauthorized
from extensions import csrf, db, login_manager

_TOKEN_SALT = "api-token-v1"

login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录。"
login_manager.session_protection = "basic"
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class LoginFailed(DomainError):
    """Same words whether the phone exists or not, so the form cannot be used to probe numbers."""

    status = 401
    code = "invalid_credentials"
    message = "手机号或密码不对，请重新输入。"


def user_by_phone(phone: str) -> User | None:
    """Find an account by its normalised phone number."""
    return db.session.execute(sa.select(User).where(User.phone == phone)).scalar_one_or_none()


def user_by_openid(openid: str) -> User | None:
    """Find the account bound to a WeChat openid."""
    return db.session.execute(sa.select(User).where(User.wechat_openid == openid)).scalar_one_or_none()


def authenticate(phone_raw: str, password: str) -> User:
    """Return the active account for this phone and password, or raise LoginFailed."""
    phone = normalize_phone(phone_raw)
    user = user_by_phone(phone)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password or "")  # same time spent either way
        raise LoginFailed()
    if not user.check_password(password or "") or not user.active:
        raise LoginFailed()
    return user


def bind_openid(user_id: int, openid: str) -> None:
    """Attach a WeChat openid to an account, so WeChat logs it in next time."""
    db.session.get(User, user_id).wechat_openid = openid


def end_sessions(user: User) -> None:
    """Invalidate every session cookie and bearer token this account holds, now."""
    user.session_generation += 1


def change_password(user: User, new_password: str) -> None:
    """Set a new password and log the account out everywhere."""
    if len(new_password or "") < 8:
        raise DomainError("新密码至少需要8位。", code="weak_password", fields={"password": ["至少8位。"]})
    user.set_password(new_password)
    end_sessions(user)


def deactivate(user: User) -> None:
    """Switch an account off and log it out everywhere."""
    user.active = False
    end_sessions(user)


def _serializer() -> URLSafeTimedSerializer:
    """Token signer bound to the app's secret key."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_TOKEN_SALT)


def issue_token(user: User) -> str:
    """A signed, expiring bearer token that dies with the account's session generation."""
    return _serializer().dumps({"u": user.id, "g": user.session_generation})


def user_from_token(token: str) -> User:
    """Check a bearer token; raise Unauthorized if forged, expired, or from an older generation."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["TOKEN_MAX_AGE"])
    except SignatureExpired:
        raise Unauthorized("登录已过期，请重新登录。", code="token_expired") from None
    except BadSignature:
        raise Unauthorized("登录凭证无效，请重新登录。", code="invalid_token") from None
    user = _live_user(data.get("u") if isinstance(data, dict) else None, data.get("g") if isinstance(data, dict) else None)
    if user is None:
        raise Unauthorized("登录已失效，请重新登录。", code="invalid_token")
    return user


def _live_user(user_id, generation) -> User | None:
    """The account if it exists, is active and still on this session generation."""
    if not isinstance(user_id, int) or not isinstance(generation, int):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_generation != generation:
        return None
    return user


def session_user() -> User | None:
    """The account that the session cookie alone logs in, whatever bearer header comes with it."""
    from flask import session

    session_id = session.get("_user_id")
    return _load_session_user(session_id) if isinstance(session_id, str) else None


def api_csrf() -> None:
    """Before every request: a cookie-authenticated write to the API must carry the page's X-CSRFToken.

    A browser sends its session cookie with any site's forms, so a write that the cookie authenticates
    needs the token whatever Authorization header comes with it (an attacker can add `Bearer junk`).
    Only a caller whom no session cookie logs in, i.e. one holding a bearer token, is exempt.
    """
    from flask import request

    if not request.path.startswith("/api/") or request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if current_app.config.get("WTF_CSRF_ENABLED", True) and session_user() is not None:
        csrf.protect()
    return None


@login_manager.user_loader
def _load_session_user(session_id: str) -> User | None:
    """Flask-Login: a session id is "<user id>:<generation>"."""
    try:
        user_id, generation = (int(part) for part in session_id.split(":"))
    except (ValueError, AttributeError):
        return None
    return _live_user(user_id, generation)


@login_manager.request_loader
def _load_token_user(request) -> User | None:
    """Flask-Login: an `Authorization: Bearer` header on API requests."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return user_from_token(header[len("Bearer "):].strip())


@login_manager.unauthorized_handler
def _unauthorized():
    """Pages send people to the login form; the API answers 401 JSON, never a redirect."""
    from flask import redirect, request, url_for

    if request.path.startswith("/api/"):
        raise Unauthorized()
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
