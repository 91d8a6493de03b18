"""小微权力清单: the default 14 items a new village starts with, and editing items and their steps."""
import sqlalchemy as sa

from accounts.models import Village
from disclosure.models import PowerItem, PowerStep
from errors import Invalid
from extensions import db
from transactions import own_transaction, will_write

FOUR_TWO = ("村党组织提议", "村“两委”会商议", "党员大会审议", "村民代表会议或村民会议决议", "决议公开", "实施结果公开")

DEFAULT_ITEMS = (
    # title, responsible, must disclose, steps
    ("村级重大事项决策", "村党组织书记", "决议内容、表决结果、实施情况", FOUR_TWO),
    ("村级工程项目", "村委会主任、分管委员", "项目名称、预算、承建方、合同金额、验收结果",
     FOUR_TWO[:4] + ("公开招标或比选", "签订合同并公示", "施工监督", "竣工验收并公开结果")),
    ("集体资产资源处置", "村委会主任", "资产名称、处置方式、价格、受让方",
     FOUR_TWO[:4] + ("评估作价", "公开交易", "签订合同", "结果公开")),
    ("村级财务收支审批", "村委会主任、村会计", "每月收支明细",
     ("经办人取得票据并注明用途", "村务监督委员会审核", "村委会主任审批", "报乡镇三资代理中心记账", "每月公开")),
    ("物资采购", "分管委员", "采购内容、数量、价格、供应商",
     ("提出采购需求", "村“两委”会商议", "询价比选（三家以上）", "村务监督委员会监督", "验收入库", "结果公开")),
    ("低保与特困申请", "民政协理员", "申请人、审核结果",
     ("本人申请", "入户调查", "村民代表民主评议", "村内公示7天", "上报乡镇审核", "结果公开")),
    ("救灾救助款物发放", "村委会主任", "发放对象、数量、金额",
     ("村民申请或村组摸排", "村“两委”会商议确定对象", "村内公示", "发放并登记签字", "发放结果公开")),
    ("宅基地申请", "村委会主任", "申请人、面积、位置、审批结果",
     ("户主书面申请", "村民小组会议讨论", "村内公示", "村委会审查", "报乡镇审批", "结果公开")),
    ("村级用工", "分管委员", "用工人员、工种、工资标准",
     ("提出用工需求", "村“两委”会商议", "公开招用", "签订用工协议", "工资发放公开")),
    ("党员发展", "村党组织书记", "发展对象、各阶段公示",
     ("递交入党申请书", "确定入党积极分子", "确定发展对象并公示", "支部大会讨论", "上级党组织审批", "结果公开")),
    ("公章使用", "村党组织书记、村委会主任", "用章登记",
     ("提出用章申请", "负责人审批", "登记用途、时间、经办人", "用章后存档备查")),
    ("惠农补贴发放", "分管委员", "补贴对象、标准、金额",
     ("政策宣传", "农户申报", "村组核实", "村内公示", "报乡镇审核", "打卡发放并公开")),
    ("集体经济合同签订", "村委会主任", "合同对象、标的、金额、期限",
     FOUR_TWO[:4] + ("合法性审查", "签订合同", "合同公开")),
    ("矛盾纠纷调处", "人民调解委员会", "调处结果（不涉及隐私部分）",
     ("受理申请", "调查了解", "组织调解", "达成协议并登记", "回访")),
)


def ensure_power_list(village: Village) -> list[PowerItem]:
    """The village's items in order, creating the default 14 the first time.

    A reading request creates them in a write of its own, then ends its read so that it sees them.
    """
    items = _items(village.id)
    if items:
        return items
    if will_write():
        _create_defaults(village.id)
        return _items(village.id)
    village_id = village.id
    with own_transaction():
        if not _items(village_id):
            _create_defaults(village_id)
    db.session.rollback()  # nothing was written here: this only ends the read that predates the new rows
    return _items(village_id)


def _items(village_id: int) -> list[PowerItem]:
    """The village's items in order."""
    return list(db.session.execute(sa.select(PowerItem).where(PowerItem.village_id == village_id)
                                   .order_by(PowerItem.position, PowerItem.id)).scalars())


def _create_defaults(village_id: int) -> None:
    """Add the default 14 items with their steps."""
    for position, (title, responsible, disclose, steps) in enumerate(DEFAULT_ITEMS):
        item = PowerItem(village_id=village_id, position=position, title=title, responsible=responsible,
                         must_disclose=disclose)
        item.steps = [PowerStep(position=i, text=text) for i, text in enumerate(steps)]
        db.session.add(item)
    db.session.flush()


def visible_items(village: Village) -> list[PowerItem]:
    """Active items with their steps (two queries), for the villager's page and the API."""
    from sqlalchemy.orm import selectinload

    return list(db.session.execute(sa.select(PowerItem).options(selectinload(PowerItem.steps))
                                   .where(PowerItem.village_id == village.id, PowerItem.active)
                                   .order_by(PowerItem.position, PowerItem.id)).scalars())


def _check(data: dict) -> dict:
    """Title, responsible post, what to disclose and steps (one per line)."""
    errors = {}
    title = (data.get("title") or "").strip()
    if not title or len(title) > 60:
        errors["title"] = ["请填写事项名称（最多60个字）。"]
    steps = data.get("steps")
    if isinstance(steps, str):
        steps = steps.splitlines()
    steps = [s.strip() for s in (steps or []) if s and s.strip()]
    if not steps:
        errors["steps"] = ["至少写一个步骤，每行一个。"]
    elif any(len(s) > 200 for s in steps) or len(steps) > 30:
        errors["steps"] = ["每个步骤最多200个字，最多30步。"]
    responsible = (data.get("responsible") or "").strip()
    if len(responsible) > 100:
        errors["responsible"] = ["最多100个字。"]
    if errors:
        raise Invalid(fields=errors)
    return {"title": title, "steps": steps, "responsible": responsible,
            "must_disclose": (data.get("must_disclose") or "").strip()[:2000]}


def save_item(village: Village, data: dict, item: PowerItem | None = None) -> PowerItem:
    """Create an item at the end of the list, or change one; steps are replaced in order."""
    clean = _check(data)
    if item is None:
        last = db.session.execute(sa.select(sa.func.max(PowerItem.position))
                                  .where(PowerItem.village_id == village.id)).scalar_one()
        item = PowerItem(village_id=village.id, position=(last or 0) + 1)
        db.session.add(item)
    item.title, item.responsible, item.must_disclose = clean["title"], clean["responsible"], clean["must_disclose"]
    item.steps = [PowerStep(position=i, text=text) for i, text in enumerate(clean["steps"])]
    db.session.flush()
    return item


def hide_item(item: PowerItem) -> None:
    """Take an item off the list; it is kept so that reports naming it still make sense."""
    item.active = False
    db.session.flush()
