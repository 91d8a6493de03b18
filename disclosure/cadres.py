"""清廉印象: the cadres of a village, and the one function that changes a cadre's profile."""
from datetime import date

import sqlalchemy as sa

from accounts.models import Village
from disclosure.attachments import store_image
from disclosure.dates import DateError, parse_date
from disclosure.models import Cadre
from errors import Invalid
from extensions import db
from storage import Batch

POSTS = ("党支部书记兼村委会主任", "党支部书记", "村委会主任", "村委会委员", "村务监督委员会主任", "村务监督委员会委员")


def village_cadres(village: Village) -> list[Cadre]:
    """The village's active cadres in display order."""
    return list(db.session.execute(sa.select(Cadre).where(Cadre.village_id == village.id, Cadre.active)
                                   .order_by(Cadre.sort_order, Cadre.id)).scalars())


def _flag(value) -> bool:
    """A checkbox or JSON boolean."""
    return value in (True, "1", "on", "true", "y")


def save_cadre(village: Village, data: dict, cadre: Cadre | None = None) -> Cadre:
    """Create or change a cadre profile; the routing flags follow the post unless set explicitly."""
    errors = {}
    name = (data.get("name") or "").strip()
    post = (data.get("post") or "").strip()
    if not name or len(name) > 60:
        errors["name"] = ["请填写姓名（最多60个字）。"]
    if not post or len(post) > 60:
        errors["post"] = ["请填写职务（最多60个字）。"]
    pledge_date: date | None = None
    if data.get("pledge_date"):
        try:
            pledge_date = parse_date(data["pledge_date"])
        except DateError as exc:
            errors["pledge_date"] = [str(exc)]
    phone = (data.get("office_phone") or "").strip()
    if len(phone) > 30:
        errors["office_phone"] = ["办公电话最多30个字符。"]
    if errors:
        raise Invalid(fields=errors)
    if cadre is None:
        last = db.session.execute(sa.select(sa.func.max(Cadre.sort_order)).where(Cadre.village_id == village.id))
        cadre = Cadre(village_id=village.id, sort_order=(last.scalar_one() or 0) + 1)
        db.session.add(cadre)
    cadre.name, cadre.post = name, post
    cadre.duties = (data.get("duties") or "").strip()[:4000]
    cadre.pledge = (data.get("pledge") or "").strip()[:4000]
    cadre.pledge_date = pledge_date
    cadre.office_phone = phone
    cadre.office_hours = (data.get("office_hours") or "").strip()[:100]
    # 书记兼主任 is what 一肩挑 means; the committee flag covers the supervisory committee.
    cadre.secretary_chair = _flag(data["secretary_chair"]) if "secretary_chair" in data else (
        "书记" in post and "主任" in post and "监督" not in post)
    cadre.committee = _flag(data["committee"]) if "committee" in data else "监督委员会" in post
    db.session.flush()
    return cadre


def set_photo(cadre: Cadre, data: bytes, batch: Batch) -> Cadre:
    """Give a cadre a photo (re-encoded, metadata stripped, at most 600 px), staged in `batch`."""
    cadre.photo_key = store_image(data, 600, batch)
    db.session.flush()
    return cadre


def retire_cadre(cadre: Cadre) -> None:
    """Take a cadre off the page; kept so that reports naming them still make sense."""
    cadre.active = False
    db.session.flush()


def duty_list(cadre: Cadre) -> list[str]:
    """The duties as a list, one per line or per ；."""
    text = (cadre.duties or "").replace("；", "\n").replace(";", "\n")
    return [part.strip(" 。") for part in text.splitlines() if part.strip(" 。")]
