"""The demo township's places and people (API.md "Demo data"); safe to run again."""
from dataclasses import dataclass, field

import sqlalchemy as sa

from accounts.models import RoleGrant, Township, User, Village
from extensions import db

DEMO_PEOPLE = (
    # phone, name, password, role, place slug
    ("13900000001", "清溪镇工作人员", "demo-township", "township", "qingxi"),
    ("13900000002", "镇纪委 吴纪检", "demo-inspector", "inspector", "qingxi"),
    ("13900000011", "河西村 陈会计", "demo-clerk", "clerk", "hexi"),
    ("13900000012", "河西村监会 李秀英", "demo-committee", "committee", "hexi"),
    ("13900000022", "岔马村监会 周桂兰", "demo-committee", "committee", "chama"),
    ("13900000101", "河西村民 王大爷", "demo-villager", "villager", "hexi"),
    ("13900000102", "岔马村民 赵大妈", "demo-villager", "villager", "chama"),
    ("13900000201", "河西早餐店 刘老板", "demo-shop", None, None),  # shopkeeper grant comes with the shop
)


@dataclass
class Demo:
    """What the demo seeders hand each other."""

    township: Township
    villages: dict[str, Village]
    users: dict[str, User] = field(default_factory=dict)


def get_or_create(model, defaults: dict | None = None, **keys):
    """Fetch the row matching `keys`, or add one with `defaults` as well."""
    row = db.session.execute(sa.select(model).filter_by(**keys)).scalar_one_or_none()
    if row is None:
        row = model(**keys, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def grant(user: User, role: str, **scope) -> None:
    """Give a role once."""
    if not any(g.role == role and all(getattr(g, k) == v for k, v in scope.items()) for g in user.grants):
        user.grants.append(RoleGrant(role=role, **scope))


def seed_demo(demo: Demo | None = None) -> Demo:
    """Create 清溪镇 with 河西村 and 岔马村 and every demo account."""
    township = get_or_create(Township, {"name": "清溪镇"}, slug="qingxi")
    villages = {
        "hexi": get_or_create(Village, {"name": "河西村", "township_id": township.id}, slug="hexi"),
        "chama": get_or_create(Village, {"name": "岔马村", "township_id": township.id}, slug="chama"),
    }
    demo = Demo(township=township, villages=villages)
    for phone, name, password, role, place in DEMO_PEOPLE:
        user = db.session.execute(sa.select(User).where(User.phone == phone)).scalar_one_or_none()
        if user is None:
            user = User(phone=phone, name=name)
            user.set_password(password)
            db.session.add(user)
        if role in ("township", "inspector"):
            grant(user, role, township_id=township.id)
        elif role:
            grant(user, role, village_id=villages[place].id)
        demo.users[phone] = user
    db.session.flush()
    return demo
