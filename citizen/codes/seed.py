"""Demo data of the codes: two codes at each demo village, and one on every cadre's name card."""
import sqlalchemy as sa

from accounts.seed import Demo
from citizen.codes import qrcodes
from citizen.codes.models import QrCode
from disclosure import lookup
from extensions import db


def seed_demo(demo: Demo) -> Demo:
    """Codes for every demo village and its cadres (idempotent); the points area adds its shops' codes."""
    staff = demo.users.get("13900000001")
    for village in demo.villages.values():
        demo_code(village, "village", None, f"{village.name}村委会公开栏", staff)
        demo_code(village, "village", None, f"{village.name}文化广场项目工地", staff)
        for cadre in lookup.namable_cadres(village):
            demo_code(village, "cadre", cadre.id, f"{cadre.name}的干部名片", staff)
    return demo


def demo_code(village, kind: str, target_id, label: str, staff) -> QrCode:
    """One demo code, created once (looked up by what it points to and where it is posted)."""
    row = db.session.execute(sa.select(QrCode).where(
        QrCode.village_id == village.id, QrCode.kind == kind, QrCode.label == label)).scalar_one_or_none()
    return row or qrcodes.create_code(village, kind, target_id, label, staff)
