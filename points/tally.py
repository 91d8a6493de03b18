"""Each village's points issued and redeemed, kept up to date in the transaction that moves the points.

`points.figures` shows them on the township overview; summing earn records and redemptions over all
history took 60 ms at a tenth of a county and grew with every month. One upsert per earn or payment
keeps them; they ride on rows the same transaction already holds (the township's issued account for
an earn, the shop's account for a payment), so they add no new waiting. `recount()` is the check.
"""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from accounts.models import RoleGrant
from extensions import db
from points.models import EarnRecord, Redemption, Shop, VillagePoints


def _upsert(rows: sa.Select | list[dict], column: str):
    """INSERT … ON CONFLICT (village_id) DO UPDATE adding to `column`, in the database's own dialect."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    table = VillagePoints.__table__
    if isinstance(rows, list):
        statement = dialect.insert(table).values(rows)
    else:
        statement = dialect.insert(table).from_select(["village_id", "issued", "redeemed"], rows)
    return statement.on_conflict_do_update(index_elements=[table.c.village_id],
                                           set_={column: table.c[column] + statement.excluded[column]})


def add_issued(user_id: int, points: int) -> None:
    """Count points granted to a villager for each village they are a villager of (one statement)."""
    villages = sa.select(RoleGrant.village_id, sa.literal(points), sa.literal(0)).where(
        RoleGrant.user_id == user_id, RoleGrant.role == "villager", RoleGrant.village_id.is_not(None))
    if db.engine.dialect.name == "sqlite":
        villages = villages.where(sa.true())  # SQLite needs a WHERE before ON CONFLICT after a SELECT
    db.session.execute(_upsert(villages, "issued"))


def add_redeemed(village_id: int, points: int) -> None:
    """Count points paid at a shop of the village (negative to undo a reversed payment)."""
    db.session.execute(_upsert([{"village_id": village_id, "issued": 0, "redeemed": points}], "redeemed"))


def village_totals(village_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{village id: (issued, redeemed)} as kept."""
    if not village_ids:
        return {}
    return {v: (i, r) for v, i, r in db.session.execute(
        sa.select(VillagePoints.village_id, VillagePoints.issued, VillagePoints.redeemed)
        .where(VillagePoints.village_id.in_(village_ids)))}


def recount() -> dict[int, tuple[int, int]]:
    """{village id: (issued, redeemed)} summed from the ledger's own rows: what the kept totals must equal."""
    totals: dict[int, list[int]] = {}
    issued = db.session.execute(
        sa.select(RoleGrant.village_id, sa.func.sum(EarnRecord.points))
        .join(RoleGrant, sa.and_(RoleGrant.user_id == EarnRecord.user_id, RoleGrant.role == "villager"))
        .where(EarnRecord.granted.is_(True), RoleGrant.village_id.is_not(None)).group_by(RoleGrant.village_id))
    for village_id, total in issued:
        totals.setdefault(village_id, [0, 0])[0] = int(total or 0)
    redeemed = db.session.execute(
        sa.select(Shop.village_id, sa.func.sum(Redemption.points)).join(Shop, Shop.id == Redemption.shop_id)
        .where(Redemption.reversal_transfer_id.is_(None)).group_by(Shop.village_id))
    for village_id, total in redeemed:
        totals.setdefault(village_id, [0, 0])[1] = int(total or 0)
    return {v: (i, r) for v, (i, r) in totals.items() if i or r}


def differences() -> list[tuple[int, tuple[int, int], tuple[int, int]]]:
    """(village id, kept, recounted) for every village whose kept totals are wrong (points-check reports them)."""
    truth = recount()
    kept = {v: (i, r) for v, i, r in db.session.execute(
        sa.select(VillagePoints.village_id, VillagePoints.issued, VillagePoints.redeemed))}
    return [(v, kept.get(v, (0, 0)), truth.get(v, (0, 0))) for v in sorted(set(truth) | set(kept))
            if kept.get(v, (0, 0)) != truth.get(v, (0, 0))]
