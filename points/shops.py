"""Partner shops: enrolment, suspension, shop keepers, and the lists villagers and keepers see."""
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from accounts.authz import home_township, home_village
from accounts.models import RoleGrant, Township, User, Village
from accounts.phones import normalize_phone
from errors import Invalid, NotFound
from extensions import db
from points.models import Shop

_CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def shop_by_code(code: str) -> Shop:
    """The shop with this code, or NotFound."""
    shop = db.session.execute(sa.select(Shop).where(Shop.code == str(code or "").upper())).scalar_one_or_none()
    if shop is None:
        raise NotFound("没有找到这家店，请检查二维码。")
    return shop


def _text(value, label: str, field: str, most: int, required: bool = True) -> str:
    """Trimmed text within a length, or Invalid naming the field."""
    text = (value or "").strip()
    if required and not text:
        raise Invalid(f"请填写{label}。", fields={field: [f"请填写{label}。"]})
    if len(text) > most:
        raise Invalid(f"{label}最多{most}个字。", fields={field: [f"最多{most}个字。"]})
    return text


def enrol_shop(township: Township, village: Village, name: str, address: str = "", contact: str = "") -> Shop:
    """Township staff enrol a partner shop in one of their villages; it gets a fresh code."""
    if village.township_id != township.id:  # another township's village is out of scope, not a typo
        raise NotFound()
    shop = Shop(village_id=village.id, name=_text(name, "店名", "name", 60),
                address=_text(address, "地址", "address", 120, required=False),
                contact=_text(contact, "联系人", "contact", 60, required=False), active=True)
    while True:
        shop.code = "S" + "".join(secrets.choice(_CODE_CHARS) for _ in range(7))
        if not db.session.execute(sa.select(Shop.id).where(Shop.code == shop.code)).first():
            break
    db.session.add(shop)
    db.session.flush()
    return shop


def set_shop_active(shop: Shop, active: bool) -> Shop:
    """Suspend a shop (it can no longer receive) or let it receive again."""
    shop.active = bool(active)
    db.session.flush()
    return shop


def add_shopkeeper(shop: Shop, phone: str, name: str, password: str) -> User:
    """Create (or reuse) a shop keeper's account for this shop, with a password to log in."""
    phone = normalize_phone(phone)
    name = _text(name, "店主姓名", "name", 60)
    user = db.session.execute(sa.select(User).where(User.phone == phone)).scalar_one_or_none()
    if user is None:
        if len(password or "") < 8:
            raise Invalid("初始密码至少8位。", fields={"password": ["至少8位。"]})
        user = User(phone=phone, name=name)
        user.set_password(password)
        db.session.add(user)
    if not any(g.role == "shopkeeper" and g.shop_id == shop.id for g in user.grants):
        user.grants.append(RoleGrant(role="shopkeeper", shop_id=shop.id))
    db.session.flush()
    return user


def keepers_of(shop: Shop) -> list[User]:
    """The shop keeper accounts of a shop."""
    return list(db.session.execute(sa.select(User).join(RoleGrant).where(
        RoleGrant.role == "shopkeeper", RoleGrant.shop_id == shop.id).order_by(User.id)).scalars())


def keepers_of_shops(shop_ids: list[int]) -> dict[int, list[User]]:
    """The shop keeper accounts of many shops, by shop id, in one statement."""
    keepers: dict[int, list[User]] = {shop_id: [] for shop_id in shop_ids}
    if shop_ids:
        for shop_id, user in db.session.execute(sa.select(RoleGrant.shop_id, User).join(RoleGrant).where(
                RoleGrant.role == "shopkeeper", RoleGrant.shop_id.in_(shop_ids)).order_by(User.id)):
            keepers[shop_id].append(user)
    return keepers


def shop_by_id(shop_id: int) -> Shop | None:
    """The shop with this id, or None."""
    return db.session.get(Shop, shop_id)


def shop_in_village(village: Village, shop_id: int) -> bool:
    """Is this shop one of the village's?"""
    shop = shop_by_id(shop_id)
    return shop is not None and shop.village_id == village.id


def shops_of_village(village: Village) -> list[Shop]:
    """Every shop of a village, suspended ones too, oldest first."""
    return list(db.session.execute(sa.select(Shop).where(Shop.village_id == village.id).order_by(Shop.id)).scalars())


def active_shops_of(village: Village) -> list[Shop]:
    """The village's shops that take points now."""
    return list(db.session.execute(active_shops(village)).scalars())


def shops_of_keeper(user: User) -> list[Shop]:
    """The shops a keeper works for."""
    ids = [g.shop_id for g in user.grants if g.role == "shopkeeper"]
    if not ids:
        return []
    return list(db.session.execute(sa.select(Shop).where(Shop.id.in_(ids)).order_by(Shop.id)).scalars())


def shops_of_township(township_id: int) -> list[Shop]:
    """Every shop of a township, suspended ones too."""
    return list(db.session.execute(sa.select(Shop).join(Village).where(Village.township_id == township_id)
                                   .options(contains_eager(Shop.village))
                                   .order_by(Village.id, Shop.id)).scalars())


def active_shops(village: Village | None = None) -> sa.Select:
    """Active shops, of one village or all (a query, for paging)."""
    query = sa.select(Shop).where(Shop.active.is_(True)).order_by(Shop.village_id, Shop.id)
    return query.where(Shop.village_id == village.id) if village is not None else query


def shops_near(user: User) -> list[Shop]:
    """Active shops for a villager: their own village's first, then the rest of their township."""
    village, township = home_village(user), home_township(user)
    if township is None:
        return []
    shops = [s for s in shops_of_township(township.id) if s.active]
    return sorted(shops, key=lambda s: (village is None or s.village_id != village.id, s.id))

