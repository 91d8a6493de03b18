"""A villager's points history in plain words: earned, spent at a shop, given back, or not granted and why."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from accounts.models import User
from extensions import db
from points.models import Account, EarnRecord, Entry, Transfer
from points.rules import RULE_NAMES

KIND_WORDS = {"earn": "获得", "redeem": "消费", "reverse": "退回", "settle": "结算"}


@dataclass
class HistoryItem:
    """One line of the history: when, what (plain words), how many points, granted or not and why."""

    at: datetime
    kind: str
    text: str
    points: int
    granted: bool = True
    reason: str | None = None


def history(user: User, limit: int = 50) -> list[HistoryItem]:
    """The villager's latest moves and refused earns, newest first."""
    moves = db.session.execute(
        sa.select(Transfer.created_at, Transfer.kind, Transfer.memo, Entry.amount)
        .join(Entry, Entry.transfer_id == Transfer.id).join(Account, Account.id == Entry.account_id)
        .where(Account.user_id == user.id).order_by(Entry.id.desc()).limit(limit))
    items = [HistoryItem(at, kind, _words(kind, memo), amount) for at, kind, memo, amount in moves]
    refused = db.session.execute(
        sa.select(EarnRecord).where(EarnRecord.user_id == user.id, EarnRecord.granted.is_(False))
        .order_by(EarnRecord.id.desc()).limit(limit)).scalars()
    items += [HistoryItem(r.created_at, "earn", RULE_NAMES.get(r.rule_key, r.rule_key), r.points, False, r.reason)
              for r in refused]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]


def _words(kind: str, memo: str) -> str:
    """What a villager reads for one move: the rule's name, the shop's name, or the reversal."""
    if kind == "reverse":
        return memo.split("：", 1)[0] or "撤销兑换"
    return memo or KIND_WORDS.get(kind, kind)


def signed(points: int) -> str:
    """+10 / −20 with a real minus sign, as villagers read it."""
    return f"+{points}" if points > 0 else f"−{abs(points)}"
