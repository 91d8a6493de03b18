"""The world the route matrix runs in: the demo township, a second township, and one of everything per place.

Three places: 河西村 and 岔马村 of the demo's 清溪镇, and 松岭镇's 青石村 (a township with its own
villages, people, shop and event). Each place gets the same furniture, built through the real domain
functions the way the seeders build the demo: a published disclosure with an attachment, a draft with a
line and an attachment, a cadre with a photo, a private named report with a photo, an anonymous report on
the wall, a QR code, a shop with a settled statement and an open redemption, a meeting open for check-in.

A place's private report, its draft and a reply template of its township each begin with a secret word of
their own (SECRETS), so a page or list that shows them to someone who may not read them is caught even
when its status looks right.
"""
import io
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from PIL import Image

import clock
from accounts.models import Township, User, Village
from accounts.seed import get_or_create, grant
from citizen.codes import qrcodes
from citizen.reports import lifecycle
from citizen.reports.filing import submit_report
from citizen.reports.photos import clean_photo
from citizen.triage.models import ReplyTemplate
from disclosure.attachments import add_attachment
from disclosure.cadres import save_cadre, set_photo
from disclosure.powers import ensure_power_list
from disclosure.publishing import create_disclosure, draft_of, publish
from disclosure.receipt import lines_of
from extensions import db
from jobs.models import FailedJob
from points import ledger
from points.earning import create_event
from points.periods import month_bounds, month_of, previous_month
from points.redemption import redeem
from points.settlement import open_settlement
from points.shops import add_shopkeeper, enrol_shop, shop_by_code
from storage import Batch, disclosure_store

# The foreign township: its staff, a villager and a shop keeper take part in the matrix; its clerk and
# committee only build its furniture.
FAR_PEOPLE = {"township_far": ("13800000001", "松岭镇工作人员", "township"),
              "clerk_far": ("13800000011", "青石村 钱会计", "clerk"),
              "committee_far": ("13800000012", "青石村监会 孙主任", "committee"),
              "villager_far": ("13800000101", "青石村民 郑大叔", "villager")}
DEMO_PHONES = {"township": "13900000001", "inspector": "13900000002", "clerk": "13900000011",
               "committee": "13900000012", "committee_chama": "13900000022", "villager": "13900000101",
               "villager_chama": "13900000102", "shopkeeper": "13900000201"}
# The words only a place's private report, its draft disclosure and its township's reply template carry.
SECRETS = {("hexi", "report"): "密报河西甲", ("hexi", "draft"): "密稿河西甲", ("hexi", "template"): "密板河西甲",
           ("chama", "report"): "密报岔马乙", ("chama", "draft"): "密稿岔马乙", ("chama", "template"): "密板岔马乙",
           ("far", "report"): "密报青石丙", ("far", "draft"): "密稿青石丙", ("far", "template"): "密板青石丙"}


@dataclass
class Place:
    """One village's furniture: every id, code and slug a route's path or form may need, by name."""

    name: str
    values: dict = field(default_factory=dict)


@dataclass
class World:
    """The places, and the accounts of every role of the matrix (None for the anonymous visitor)."""

    places: dict[str, Place]
    users: dict[str, User | None]


def png(colour: str = "red") -> bytes:
    """A small PNG, as a camera upload would arrive before cleaning."""
    out = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(out, "PNG")
    return out.getvalue()


def _person(phone: str, name: str, role: str, **scope) -> User:
    """An account with one role, created once (as accounts.seed does)."""
    user = db.session.execute(sa.select(User).where(User.phone == phone)).scalar_one_or_none()
    if user is None:
        user = User(phone=phone, name=name)
        user.set_password("matrix-password")
        db.session.add(user)
    grant(user, role, **scope)
    db.session.flush()
    return user


def _far_township() -> tuple[Township, Village, dict[str, User]]:
    """松岭镇 with two villages and its people; its shop and keeper come with the place's furniture."""
    township = get_or_create(Township, {"name": "松岭镇"}, slug="songling")
    village = get_or_create(Village, {"name": "青石村", "township_id": township.id}, slug="qingshi")
    get_or_create(Village, {"name": "柳湾村", "township_id": township.id}, slug="liuwan")
    people = {}
    for key, (phone, name, role) in FAR_PEOPLE.items():
        scope = {"township_id": township.id} if role == "township" else {"village_id": village.id}
        people[key] = _person(phone, name, role, **scope)
    return township, village, people


def _report(village, villager, content: str, anonymous: bool, photos=(), token: str = ""):
    """A report filed through submit_report, its photos published as the request would."""
    batch = Batch()
    data = {"category": "其他", "content": content, "anonymous": anonymous, "allow_public": anonymous,
            "subject": None, "cadre_id": None}
    submission = submit_report(village, data, list(photos), batch, None if anonymous else villager, token)
    batch.publish()
    return submission


def _disclosures(place: Place, village, clerk) -> None:
    """A published disclosure with an attachment, and a draft finance disclosure with a line and one."""
    batch = Batch(disclosure_store())
    published = create_disclosure(village, clerk, {"category": "affairs", "mode": "adhoc",
                                                   "title": "村道修缮公示", "body": "村道修缮已完工，欢迎监督。"})
    attachment = add_attachment(published, clerk, "现场.png", png("blue"), batch)
    publish(published, clerk)
    draft = create_disclosure(village, clerk, {
        "category": "finance", "mode": "periodic", "period": "2025-01", "title": SECRETS[place.name, "draft"] + " 草稿",
        "lines": [{"date": "2025-01-10", "direction": "支出", "amount": "12.00", "category": "办公费",
                   "text": "购入打印纸2包", "counterparty": "镇文具店"}]})
    draft_attachment = add_attachment(draft, clerk, "草稿附件.png", png("green"), batch)
    cadre = save_cadre(village, {"name": "测试委员", "post": "村委会委员", "duties": "分管测试。"})
    set_photo(cadre, png("yellow"), batch)
    batch.publish()
    place.values.update(disclosure=published.id, attachment=attachment.id, draft=draft.id,
                        draft_attachment=draft_attachment.id, line=lines_of(draft_of(draft))[0].id,
                        cadre=cadre.id, power_item=ensure_power_list(village)[0].id)


def _reports(place: Place, village, villager, committee) -> None:
    """A private named report with a photo (the secret), and an anonymous answered one on the wall."""
    private = _report(village, villager, f"{SECRETS[place.name, 'report']} 这件事请村监会私下核实。", False,
                      [clean_photo(png("purple"))], f"matrix-private-{place.name}").report
    wall = _report(village, None, "村口的路灯坏了，请安排维修。", True, token=f"matrix-wall-{place.name}")
    lifecycle.accept_report(wall.report, committee)
    lifecycle.answer_report(wall.report, committee, "路灯已经修好了。", publish=True)
    place.values.update(report=private.id, photo=private.photos[0].id, wall_report=wall.report.id,
                        tracking=wall.tracking_code)


def _points(place: Place, village, villager, staff, shop) -> None:
    """Points for the villager, last month's redemption settled, this month's one open, a meeting now."""
    township = village.township
    last_month = previous_month(month_of())
    with clock.at(month_bounds(last_month)[0] + timedelta(days=3)):
        ledger.transfer("earn", f"matrix-grant:{place.name}", [(ledger.township_account(township, "issued"), -100),
                                                                (ledger.villager_account(villager), 100)],
                        memo="测试发放")
        redeem(villager, shop, 5, f"matrix-last-{place.name}")
    statement = open_settlement(shop, last_month, staff)
    now = clock.now()
    redemption = redeem(villager, shop, 3, f"matrix-now-{place.name}")
    event = create_event(township, village, "群众说事日", now - timedelta(hours=1), now + timedelta(hours=6))
    template = get_or_create(ReplyTemplate, {"body": "已转交镇相关部门办理。"}, township_id=township.id,
                             title=SECRETS[place.name, "template"] + " 模板")
    code = qrcodes.create_code(village, "village", None, "测试公开栏", staff)
    failure = get_or_create(FailedJob, {"task": "matrix.task", "label": "测试任务", "tries": 3, "error": "测试"},
                            township_id=township.id)
    place.values.update(shop=shop.code, settlement=statement.id, redemption=redemption.id, event=event.id,
                        template=template.id, qr=code.code, month=last_month, failure=failure.id)


def furnish(name: str, village, people: dict, shop) -> Place:
    """Build one place's furniture with its own people (`villager`, `committee`, `clerk`, `staff`)."""
    place = Place(name=name, values={"slug": village.slug, "village_id": village.id,
                                     "township_id": village.township_id})
    _disclosures(place, village, people["clerk"])
    _reports(place, village, people["villager"], people["committee"])
    _points(place, village, people["villager"], people["staff"], shop)
    return place


def build_world() -> World:
    """Every place and every role's account, in the session's current transaction."""
    users = {role: db.session.execute(sa.select(User).where(User.phone == phone)).scalar_one()
             for role, phone in DEMO_PHONES.items()}
    hexi, chama = (db.session.execute(sa.select(Village).where(Village.slug == slug)).scalar_one()
                   for slug in ("hexi", "chama"))
    township, far_village, far = _far_township()
    far_shop = enrol_shop(township, far_village, "青石小卖部", "青石村口")
    users.update(villager_far=far["villager_far"], township_far=far["township_far"],
                 shopkeeper_far=add_shopkeeper(far_shop, "13800000201", "青石小卖部 吴老板", "matrix-password"))
    places = {
        "hexi": furnish("hexi", hexi, {"villager": users["villager"], "committee": users["committee"],
                                       "clerk": users["clerk"], "staff": users["township"]}, shop_by_code("HXZC01")),
        "chama": furnish("chama", chama, {"villager": users["villager_chama"], "committee": users["committee_chama"],
                                          "clerk": users["township"], "staff": users["township"]},
                         shop_by_code("CMLF01")),
        "far": furnish("far", far_village, {"villager": far["villager_far"], "committee": far["committee_far"],
                                            "clerk": far["clerk_far"], "staff": far["township_far"]}, far_shop),
    }
    users["anonymous"] = None
    return World(places=places, users=users)
