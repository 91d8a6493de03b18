"""WeChat subscriptions: recording the consent WeChat's own dialog gave, using it up, and its revocation.

An official account's subscribe button (wx-open-subscribe) or a mini-program's requestSubscribeMessage
asks the person; the page then reports which kinds they accepted, and `subscribe()` records them.
A one-time template allows one message per consent, a long-term one any number (`long_term=True`).
"""
from collections.abc import Iterable

import sqlalchemy as sa

import clock
from accounts.models import User
from errors import Invalid
from extensions import db
from notify.models import STEPS, WeChatSubscription


def subscribe(user: User, kinds: Iterable[str], long_term: bool = False) -> list[WeChatSubscription]:
    """Record the person's consent to each kind; a one-time consent adds one message to what is left."""
    kinds = list(dict.fromkeys(kinds))
    unknown = [k for k in kinds if k not in STEPS]
    if unknown or not kinds:
        raise Invalid("请选择要接收的消息类型。", fields={"kinds": ["不认识的消息类型。"]})
    if not user.wechat_openid:
        raise Invalid("请先用微信登录，再订阅微信消息。", code="no_wechat")
    rows = []
    for kind in kinds:
        row = db.session.execute(sa.select(WeChatSubscription).filter_by(user_id=user.id, kind=kind)
                                 .with_for_update()).scalar_one_or_none()
        if row is None:
            row = WeChatSubscription(user_id=user.id, kind=kind, remaining=None if long_term else 0)
            db.session.add(row)
        row.status, row.updated_at = "active", clock.now()
        row.remaining = None if long_term else (row.remaining or 0) + 1
        rows.append(row)
    db.session.flush()
    return rows


def unsubscribe(user: User, kinds: Iterable[str]) -> int:
    """The person no longer wants these kinds (from our page); returns how many were active."""
    changed = db.session.execute(sa.update(WeChatSubscription)
                                 .where(WeChatSubscription.user_id == user.id, WeChatSubscription.kind.in_(list(kinds)),
                                        WeChatSubscription.status != "revoked")
                                 .values(status="revoked", updated_at=clock.now())
                                 .execution_options(synchronize_session=False))
    return changed.rowcount


def usable(user_id: int, kind: str) -> WeChatSubscription | None:
    """The person's active consent to `kind` that still allows a message, if any."""
    row = db.session.execute(sa.select(WeChatSubscription).filter_by(user_id=user_id, kind=kind)).scalar_one_or_none()
    if row is None or row.status != "active" or row.remaining == 0:
        return None
    return row


def use_one(user_id: int, kind: str) -> None:
    """A message went out: a one-time consent is spent (the last one leaves the row 'used')."""
    row = db.session.execute(sa.select(WeChatSubscription).filter_by(user_id=user_id, kind=kind)
                             .with_for_update()).scalar_one_or_none()
    if row is None or row.remaining is None:
        return
    row.remaining = max(0, row.remaining - 1)
    row.status, row.updated_at = ("used" if row.remaining == 0 else "active"), clock.now()


def revoke(user_id: int, kind: str) -> None:
    """WeChat said the person refused (43101): never send this kind again until they subscribe anew."""
    db.session.execute(sa.update(WeChatSubscription).filter_by(user_id=user_id, kind=kind)
                       .values(status="revoked", remaining=sa.case((WeChatSubscription.remaining.is_(None), None),
                                                                   else_=0), updated_at=clock.now())
                       .execution_options(synchronize_session=False))


def kinds_of(user: User) -> dict[str, str]:
    """Each kind the person ever subscribed to, with its status (for 我的)."""
    rows = db.session.execute(sa.select(WeChatSubscription.kind, WeChatSubscription.status)
                              .where(WeChatSubscription.user_id == user.id))
    return dict(rows.all())
