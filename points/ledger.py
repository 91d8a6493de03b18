"""The only code that moves points: accounts, transfers and their entries, kept double-entry.

A debit is a conditional UPDATE checked by its row count, in the same transaction as the entries,
so two requests racing for the same points cannot both spend them (SQLite and PostgreSQL alike).
Every transfer carries a unique idempotency key; a repeat, even a racing one, returns the first.
Every unit of work that moves points writes, so on SQLite it already holds the write lock
(`transactions`); nothing here takes it by hand.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import clock
from accounts.models import Township, User
from errors import Conflict
from extensions import db
from points.models import Account, Entry, Shop, Transfer


class InsufficientPoints(Conflict):
    """The paying account does not hold enough points."""

    code = "insufficient_points"
    message = "积分不够，请少用一点。"


def _account(kind: str, **owner) -> Account:
    """Fetch or create the one account of this owner; a racing creation re-reads the winner's row."""
    query = sa.select(Account).filter_by(kind=kind, **owner)
    account = db.session.execute(query).scalar_one_or_none()
    if account is not None:
        return account
    try:
        with db.session.begin_nested():
            account = Account(kind=kind, balance=0, **owner)
            db.session.add(account)
    except IntegrityError:
        account = db.session.execute(query).scalar_one()
    return account


def villager_account(user: User) -> Account:
    """The villager's points account."""
    return _account("villager", user_id=user.id)


def shop_account(shop: Shop) -> Account:
    """The shop's points account (it only receives from villagers and pays out at settlement)."""
    return _account("shop", shop_id=shop.id)


def township_account(township: Township | int, kind: str) -> Account:
    """The township's `issued` (source of earned points) or `settled` (paid-out points) account."""
    township_id = township if isinstance(township, int) else township.id
    return _account(kind, township_id=township_id)


def lock_account(account: Account) -> None:
    """Hold the account's row until the transaction ends, so checks made after this see no racing change."""
    db.session.execute(sa.select(Account.id).where(Account.id == account.id).with_for_update())


def locked_villager_account(user: User) -> Account:
    """The villager's account, its row held until the transaction ends and its balance read under that hold."""
    query = (sa.select(Account).filter_by(kind="villager", user_id=user.id).with_for_update()
             .execution_options(populate_existing=True))
    account = db.session.execute(query).scalar_one_or_none()
    if account is None:  # the first redemption of someone who never earned: make the account, then hold it
        account = villager_account(user)
        account = db.session.execute(query).scalar_one()
    return account


def balance_of(user: User) -> int:
    """A villager's balance, read in O(1) from the kept balance."""
    value = db.session.execute(sa.select(Account.balance).where(Account.user_id == user.id)).scalar_one_or_none()
    return value or 0


def shop_balance(shop: Shop) -> int:
    """Points a shop holds (received, not yet settled); 0 before its first redemption."""
    value = db.session.execute(sa.select(Account.balance).where(Account.shop_id == shop.id)).scalar_one_or_none()
    return value or 0


def find_transfer(key: str) -> Transfer | None:
    """The transfer made under an idempotency key, if any."""
    return db.session.execute(sa.select(Transfer).where(Transfer.idempotency_key == key)).scalar_one_or_none()


def transfer(kind: str, key: str, legs: list[tuple[Account, int]], memo: str = "",
             actor: User | None = None, at: datetime | None = None, key_checked: bool = False) -> Transfer:
    """Move points between accounts as one balanced transfer; a repeated key returns the first transfer.

    `legs` are (account, signed amount) pairs summing to zero. A negative amount on any account but
    a township's `issued` account is taken only if the balance covers it (InsufficientPoints).
    The returned transfer has `replayed` True when the key had been used before and nothing moved.
    `key_checked`: the caller looked the key up itself under a lock that serializes its repeats
    (a racing twin still ends in the unique key and is returned as replayed).
    """
    if len(legs) < 2 or any(amount == 0 for _, amount in legs) or sum(amount for _, amount in legs) != 0:
        raise ValueError("a transfer needs two or more non-zero legs summing to zero")
    existing = None if key_checked else find_transfer(key)
    if existing is not None:
        existing.replayed = True
        return existing
    try:
        with db.session.begin_nested():
            record = Transfer(kind=kind, idempotency_key=key, memo=memo[:200],
                              actor_id=actor.id if actor else None, created_at=at or clock.now())
            db.session.add(record)
            db.session.flush()  # the unique key is claimed before any balance moves
            # One order for every transfer, so none waits on another's rows in a cycle: the villager's
            # own row first, then the shared rows (a shop, the township's) by id. The busiest rows are
            # thus locked last and held for the shortest time.
            for account, amount in sorted(legs, key=lambda leg: (leg[0].kind != "villager", leg[0].id)):
                _move(account, amount)
            db.session.add_all([Entry(transfer_id=record.id, account_id=account.id, amount=amount)
                                for account, amount in legs])
            db.session.flush()
    except IntegrityError:
        existing = find_transfer(key)
        if existing is None:
            raise
        existing.replayed = True
        return existing
    record.replayed = False
    return record


def _move(account: Account, amount: int) -> None:
    """Change one kept balance; a debit of a non-source account is conditional on the balance covering it."""
    statement = sa.update(Account).where(Account.id == account.id).values(balance=Account.balance + amount)
    if amount < 0 and account.kind != "issued":
        statement = statement.where(Account.balance >= -amount)
    result = db.session.execute(statement, execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        raise InsufficientPoints()
    db.session.expire(account, ["balance"])


def recomputed_balances() -> list[tuple[Account, int]]:
    """Every account whose kept balance differs from the sum of its entries, with that sum."""
    sums = (sa.select(Entry.account_id, sa.func.coalesce(sa.func.sum(Entry.amount), 0).label("total"))
            .group_by(Entry.account_id).subquery())
    rows = db.session.execute(
        sa.select(Account, sa.func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.balance != sa.func.coalesce(sums.c.total, 0))
        .order_by(Account.id))
    return [(account, int(total)) for account, total in rows]


def unbalanced_transfers() -> list[int]:
    """Ids of transfers whose entries do not sum to zero (there should never be any)."""
    rows = db.session.execute(sa.select(Entry.transfer_id).group_by(Entry.transfer_id)
                              .having(sa.func.sum(Entry.amount) != 0))
    return list(rows.scalars())
