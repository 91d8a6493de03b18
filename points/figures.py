"""Points figures other areas show: issued to and redeemed in each village of a township (kept by points.tally)."""
import sqlalchemy as sa

from accounts.models import Village
from extensions import db
from points.tally import village_totals


def village_points(township_id: int) -> dict[int, dict[str, int]]:
    """Per village id: points issued to its villagers and points redeemed at its shops (reversals excluded)."""
    ids = list(db.session.execute(sa.select(Village.id).where(Village.township_id == township_id)).scalars())
    kept = village_totals(ids)
    return {vid: {"points_issued": kept.get(vid, (0, 0))[0], "points_redeemed": kept.get(vid, (0, 0))[1]}
            for vid in ids}
