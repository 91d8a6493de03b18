"""One-time login codes for villagers: 6 digits, 5 minutes, 5 tries, hashed at rest."""
import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from accounts.login import user_by_phone
from accounts.models import OneTimeCode, RoleGrant, User, Village
from accounts.phones import mask_phone, normalize_phone
from accounts.sms import sender
from clock import now
from errors import DomainError
from extensions import db

LIFETIME = timedelta(minutes=5)
MAX_TRIES = 5


class CodeRejected(DomainError):
    """A wrong, expired, used or exhausted code."""

    status = 401
    code = "invalid_code"
    message = "验证码不对或已过期，请重新获取。"


def _digest(phone: str, code: str) -> str:
    """Keyed hash of a code, so a database copy does not reveal live codes."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def send_code(phone_raw: str) -> str:
    """Make a new code for the phone, retire older ones, send it; return the normalised phone."""
    phone = normalize_phone(phone_raw)
    db.session.execute(sa.update(OneTimeCode).where(OneTimeCode.phone == phone, OneTimeCode.used.is_(False))
                       .values(used=True))
    code = f"{secrets.randbelow(10**6):06d}"
    db.session.add(OneTimeCode(phone=phone, code_hash=_digest(phone, code), expires_at=now() + LIFETIME))
    db.session.flush()
    sender().send(phone, f"【村务码上监督】您的登录验证码是{code}，5分钟内有效。请勿告诉他人。",
                  template="login_code", params={"code": code})
    return phone


def verify_code(phone_raw: str, code: str, village: Village | None = None) -> User:
    """Check a code; on success use it up and return the villager's account, creating it if new.

    The try is counted before the code is compared, by one conditional UPDATE whose returned row
    says whether a try was left: parallel guesses cannot all read the same count and each get a
    try (they did on PostgreSQL: 14 checked against a limit of 5). The UPDATE is this function's
    first statement, so it reads nothing before it writes. The caller must commit even when this
    raises, to keep the count.
    """
    phone = normalize_phone(phone_raw)
    latest = (sa.select(OneTimeCode.id).where(OneTimeCode.phone == phone, OneTimeCode.used.is_(False))
              .order_by(OneTimeCode.id.desc()).limit(1).scalar_subquery())
    counted = db.session.execute(
        sa.update(OneTimeCode)
        .where(OneTimeCode.id == latest, OneTimeCode.used.is_(False), OneTimeCode.attempts < MAX_TRIES,
               OneTimeCode.expires_at > now())
        .values(attempts=OneTimeCode.attempts + 1)
        .returning(OneTimeCode.id, OneTimeCode.code_hash, OneTimeCode.attempts)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if counted is None:
        raise CodeRejected()
    if not hmac.compare_digest(counted.code_hash, _digest(phone, str(code or "").strip())):
        left = MAX_TRIES - counted.attempts
        raise CodeRejected(f"验证码不对，还可以再试{left}次。" if left else "验证码错误次数太多，请重新获取。")
    used = db.session.execute(
        sa.update(OneTimeCode).where(OneTimeCode.id == counted.id, OneTimeCode.used.is_(False))
        .values(used=True).execution_options(synchronize_session=False))
    if used.rowcount != 1:  # a parallel request with the same code got there first
        raise CodeRejected()
    user = user_by_phone(phone) or _new_villager(phone)
    if village is not None and not any(g.role == "villager" for g in user.grants):
        user.grants.append(RoleGrant(role="villager", village_id=village.id))
    db.session.flush()
    return user


def _new_villager(phone: str) -> User:
    """A first-time villager: an account with no password, named by the masked phone until they change it."""
    user = User(phone=phone, name=f"村民{mask_phone(phone)[-4:]}")
    db.session.add(user)
    return user
