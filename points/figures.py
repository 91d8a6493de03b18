"""Points figures other areas show: issued to and redeemed in each village of a township."""
import sqlalchemy as sa

from accounts.models import RoleGrant, Village
from extensions import db
from points.models import EarnRecord, Redemption, Shop


def village_points(township_id: int) -> dict[int, dict[str, int]]:
    """Per village id: points issued to its villagers and points redeemed at its shops (reversals excluded)."""
    figures = {vid: {"points_issued": 0, "points_redeemed": 0} for vid in db.session.execute(
        sa.select(Village.id).where(Village.township_id == township_id)).scalars()}
    issued = db.session.execute(
        sa.select(RoleGrant.village_id, sa.func.sum(EarnRecord.points))
        .join(RoleGrant, sa.and_(RoleGrant.user_id == EarnRecord.user_id, RoleGrant.role == "villager"))
        .where(EarnRecord.township_id == township_id, EarnRecord.granted.is_(True))
        .group_by(RoleGrant.village_id))
    for village_id, total in issued:
        if village_id in figures:
            figures[village_id]["points_issued"] = int(total or 0)
    redeemed = db.session.execute(
        sa.select(Shop.village_id, sa.func.sum(Redemption.points)).join(Shop, Shop.id == Redemption.shop_id)
        .where(Redemption.township_id == township_id, Redemption.reversal_transfer_id.is_(None))
        .group_by(Shop.village_id))
    for village_id, total in redeemed:
        if village_id in figures:
            figures[village_id]["points_redeemed"] = int(total or 0)
    return figures
