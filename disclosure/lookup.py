"""What a report can be about: a finance line, a power-list item or a cadre, only of the report's village."""
import sqlalchemy as sa

from accounts.authz import allowed
from accounts.models import Village
from disclosure.amounts import yuan
from disclosure.models import DIRECTIONS, Cadre, Disclosure, FinanceLine, PowerItem, Revision
from disclosure.periods import period_label
from errors import NotFound
from extensions import db
from jsonapi import MAX_ID

SUBJECT_TYPES = ("line", "power_item", "cadre")  # what a report may be about: the one list


def find_subject(village: Village, subject_type: str, subject_id) -> object | None:
    """The line, power item or cadre with this id if it belongs to `village` and villagers can see it."""
    try:
        subject_id = int(subject_id)
    except (TypeError, ValueError):
        return None
    if not 0 < subject_id <= MAX_ID:
        return None
    if subject_type == "line":
        return db.session.execute(
            sa.select(FinanceLine).join(Revision).join(Disclosure)
            .where(FinanceLine.id == subject_id, Disclosure.village_id == village.id,
                   Revision.published_at.is_not(None))).scalar_one_or_none()
    if subject_type == "power_item":
        item = db.session.get(PowerItem, subject_id)
        return item if item is not None and item.village_id == village.id and item.active else None
    if subject_type == "cadre":
        cadre = db.session.get(Cadre, subject_id)
        return cadre if cadre is not None and cadre.village_id == village.id else None
    return None


def parse_subject(text: str | None) -> tuple[str, int] | None:
    """Split the `?subject=line:12` form into ('line', 12); None when malformed."""
    kind, _, number = (text or "").partition(":")
    if kind not in SUBJECT_TYPES or not (number.isascii() and number.isdigit() and len(number) <= 10):
        return None
    if not 0 < int(number) <= MAX_ID:  # larger ids name nothing, and the database could not compare them
        return None
    return kind, int(number)


def describe_subject(obj) -> str:
    """A short Chinese sentence naming the subject, for the report form and the case page."""
    if isinstance(obj, FinanceLine):
        disclosure = obj.revision.disclosure
        when = period_label(disclosure.period) or disclosure.title
        return f"{when}财务公开：{obj.text} {DIRECTIONS[obj.direction]}{yuan(obj.amount_fen)}"
    if isinstance(obj, PowerItem):
        return f"小微权力清单：{obj.title}"
    if isinstance(obj, Cadre):
        return f"清廉印象：{obj.name}（{obj.post}）"
    return ""


def subject_url(obj) -> str:
    """Where the subject is shown to villagers, with its anchor (for the case page's link)."""
    from flask import url_for

    if isinstance(obj, FinanceLine):
        return url_for("disclosure.disclosure_detail", id=obj.revision.disclosure_id) + f"#line-{obj.id}"
    if isinstance(obj, PowerItem):
        return url_for("disclosure.powers", slug=obj.village.slug) + f"#item-{obj.id}"
    if isinstance(obj, Cadre):
        return url_for("disclosure.cadres", slug=obj.village.slug) + f"#cadre-{obj.id}"
    return ""


def count_published(village) -> int:
    """Disclosures a villager can read on the village's board (published or corrected, not withdrawn)."""
    return db.session.execute(sa.select(sa.func.count(Disclosure.id)).where(
        Disclosure.village_id == village.id, Disclosure.status == "published")).scalar_one()


def find_disclosure(disclosure_id: int, *, with_drafts: bool = False) -> Disclosure:
    """A disclosure villagers may read; a draft only when asked for and only for those who manage it."""
    disclosure = db.session.get(Disclosure, disclosure_id)
    if disclosure is None or (disclosure.status == "draft" and not (
            with_drafts and allowed("disclosure.manage", disclosure))):
        raise NotFound("没有找到这条公开。")
    return disclosure


def namable_cadres(village: Village) -> list[Cadre]:
    """Every cadre of the village a report may name (retired ones too, since old cases name them), in board order."""
    return list(db.session.execute(
        sa.select(Cadre).where(Cadre.village_id == village.id).order_by(Cadre.sort_order, Cadre.id)).scalars())


def find_cadre(village: Village, cadre_id: int) -> Cadre | None:
    """The cadre with this id if it is one of the village's, else None."""
    return db.session.execute(
        sa.select(Cadre).where(Cadre.id == cadre_id, Cadre.village_id == village.id)).scalar_one_or_none()


def cadres_by_ids(cadre_ids: set[int]) -> list[Cadre]:
    """The cadres with these ids (unknown ids are left out)."""
    if not cadre_ids:
        return []
    return list(db.session.execute(sa.select(Cadre).where(Cadre.id.in_(cadre_ids)).order_by(Cadre.id)).scalars())


def cadre_ids_of(user) -> list[int]:
    """The cadre posts a person's account holds (a case naming one of them is kept from them)."""
    return list(db.session.execute(sa.select(Cadre.id).where(Cadre.user_id == user.id)).scalars())


ROWS = {"disclosure": Disclosure, "power_item": PowerItem, "cadre": Cadre}


def belongs_to(village: Village, kind: str, row_id: int) -> bool:
    """Is there a disclosure, power item or cadre with this id in the village (whatever its state)?"""
    row = db.session.get(ROWS[kind], row_id)
    return row is not None and row.village_id == village.id
