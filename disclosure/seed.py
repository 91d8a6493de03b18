"""Demo data of 三务公开: cadres, power lists, three months of finance for 河西村 (with a correction), less for 岔马村."""
import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

import clock
from accounts.seed import Demo, get_or_create
from disclosure.models import Cadre, Disclosure
from disclosure.powers import ensure_power_list
from disclosure.publishing import change_line, create_disclosure, publish, start_correction
from disclosure.receipt import lines_of
from extensions import db

DEMO_CADRES = {
    "hexi": (
        # name, post, secretary_chair, committee, account phone, duties
        ("张建国", "党支部书记兼村委会主任", True, False, None, "主持村党组织和村委会全面工作；负责重大事项决策的组织实施。"),
        ("赵卫东", "村委会委员", False, False, None, "分管村级工程项目、集体资产资源管理。"),
        ("陈丽", "村委会委员（会计）", False, False, "13900000011", "负责村级财务收支记账、三务公开发布。"),
        ("李秀英", "村务监督委员会主任", False, True, "13900000012", "主持村务监督委员会工作；受理村民反映；监督三务公开。"),
        ("王明", "村务监督委员会委员", False, True, None, "监督村级工程项目和财务收支。"),
    ),
    "chama": (
        ("刘长贵", "党支部书记兼村委会主任", True, False, None, "主持村党组织和村委会全面工作。"),
        ("周桂兰", "村务监督委员会主任", False, True, "13900000022", "主持村务监督委员会工作；受理村民反映。"),
        ("孙勇", "村委会委员", False, False, None, "分管农业生产、惠农补贴发放。"),
    ),
}

PLEDGE = "我承诺：依法办事、廉洁用权，不优亲厚友，不收受财物，公开透明接受全体村民监督。"

# direction, category, text, counterparty, lowest and highest yuan
LINE_KINDS = (
    ("expense", "办公费", "购入打印纸{n}包", "镇文具店", 120, 400),
    ("expense", "办公费", "购入档案柜1套", "县城办公家具店", 900, 1200),
    ("expense", "办公费", "更换村委会电脑墨盒{n}个", "镇文具店", 150, 480),
    ("expense", "工程款", "村道硬化工程进度款", "清溪建筑工程队", 20000, 60000),
    ("expense", "工程款", "灌溉水渠修缮材料款", "清溪建材店", 3000, 9000),
    ("expense", "补贴发放", "发放80岁以上老人高龄补贴{n}人", "受助村民", 2000, 6000),
    ("expense", "补贴发放", "发放困难群众临时救助{n}户", "受助村民", 800, 3000),
    ("expense", "劳务费", "支付村保洁员{n}人工资", "村保洁员", 3000, 4500),
    ("expense", "劳务费", "支付护林员工资", "村护林员", 1500, 1800),
    ("expense", "招待费", "上级检查工作餐", "河西小饭店", 80, 260),
    ("expense", "其他", "村委会电费", "国网清溪供电所", 300, 900),
    ("expense", "其他", "村广播网络费", "清溪电信", 100, 200),
    ("income", "集体经营收入", "鱼塘承包费", "承包户 王某", 2000, 5000),
    ("income", "集体经营收入", "集体厂房租金", "清溪竹编合作社", 3000, 6000),
    ("income", "上级拨款", "镇财政拨付村级运转经费", "清溪镇财政所", 10000, 30000),
    ("income", "上级拨款", "高龄补贴资金拨付", "清溪镇民政办", 2000, 6000),
)


def _months_before(today: date, count: int) -> list[date]:
    """The first days of the `count` whole months before today's month, oldest first."""
    months, first = [], today.replace(day=1)
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def _lines(month: date, count: int, seed: str) -> list[dict]:
    """A month of believable lines, the same every run."""
    rng = random.Random(seed)
    days = ((month.replace(day=28) + timedelta(days=4)).replace(day=1) - month).days
    lines = []
    for index in range(count):
        direction, category, text, counterparty, low, high = LINE_KINDS[index % len(LINE_KINDS)]
        lines.append({"date": month + timedelta(days=rng.randrange(days)), "direction": direction,
                      "amount": f"{rng.randint(low * 100, high * 100) / 100:.2f}", "category": category,
                      "text": text.format(n=rng.randint(2, 30)), "counterparty": counterparty,
                      "voucher": f"记-{month:%Y-%m}-{index + 1:03d}"})
    return sorted(lines, key=lambda line: line["date"])


def _published_at(day: date) -> datetime:
    """Nine in the morning, Beijing time, on that day."""
    return min(datetime.combine(day, time(9, 0), tzinfo=clock.SHANGHAI), clock.now())


def _finance(demo: Demo, slug: str, month: date, count: int, clerk) -> Disclosure:
    """One published monthly finance disclosure, created once."""
    village = demo.villages[slug]
    period = f"{month:%Y-%m}"
    existing = db.session.execute(sa.select(Disclosure).where(
        Disclosure.village_id == village.id, Disclosure.category == "finance", Disclosure.period == period)
    ).scalar_one_or_none()
    if existing:
        return existing
    disclosure = create_disclosure(village, clerk, {
        "category": "finance", "mode": "periodic", "period": period,
        "title": f"{village.name}{month.year}年{month.month}月财务收支明细",
        "body": "本月收支已经村务监督委员会审核。对任何一笔有疑问，点“我要问”即可反映。",
        "lines": _lines(month, count, f"{slug}-{period}")})
    next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    publish(disclosure, clerk, at=_published_at(next_month + timedelta(days=4)))
    return disclosure


def _correct_once(disclosure: Disclosure, clerk) -> None:
    """Give a disclosure one correction (a typo in an amount), unless it already has one."""
    if disclosure.revision > 1:
        return
    draft = start_correction(disclosure, clerk)
    line = lines_of(draft)[2]
    change_line(disclosure, clerk, line.id, {
        "date": line.date, "direction": line.direction, "amount_fen": line.amount_fen + 36000,
        "category": line.category, "text": line.text, "counterparty": line.counterparty, "voucher": line.voucher})
    publish(disclosure, clerk, reason="第3笔金额录入有误，按原始凭证更正。",
            at=disclosure.published_at + timedelta(days=2))


def _text_disclosure(demo: Demo, slug: str, category: str, mode: str, title: str, body: str, clerk, day: date,
                     period: str = ""):
    """A party-affairs or village-affairs disclosure, created once."""
    village = demo.villages[slug]
    if db.session.execute(sa.select(Disclosure.id).where(Disclosure.village_id == village.id,
                                                         Disclosure.title == title)).first():
        return
    disclosure = create_disclosure(village, clerk, {"category": category, "mode": mode, "title": title, "body": body,
                                                    "period": period})
    publish(disclosure, clerk, at=_published_at(day))


def _cadres(demo: Demo) -> None:
    """Each demo village's cadres, once."""
    for slug, cadres in DEMO_CADRES.items():
        village = demo.villages[slug]
        for order, (name, post, chair, committee, phone, duties) in enumerate(cadres):
            get_or_create(Cadre, {
                "post": post, "secretary_chair": chair, "committee": committee, "duties": duties,
                "pledge": PLEDGE, "pledge_date": date(2026, 1, 15), "sort_order": order,
                "office_phone": "0571-6000" + str(1000 + order) if slug == "hexi" else "0571-6100" + str(1000 + order),
                "office_hours": "工作日 8:30-17:30 村委会办公室",
                "user_id": demo.users[phone].id if phone else None,
            }, village_id=village.id, name=name)


def seed_demo(demo: Demo) -> Demo:
    """Cadres, power lists and disclosures of both demo villages (idempotent)."""
    _cadres(demo)
    clerk = demo.users["13900000011"]
    for village in demo.villages.values():
        ensure_power_list(village)
    today = clock.local(clock.now()).date()
    months = _months_before(today, 3)
    hexi = [_finance(demo, "hexi", month, 44 + i * 2, clerk) for i, month in enumerate(months)]
    _correct_once(hexi[1], clerk)
    _finance(demo, "chama", months[0], 16, None)
    quarter_month = months[-2]
    quarter = (quarter_month.month - 1) // 3 + 1
    _text_disclosure(demo, "hexi", "party", "periodic",
                     f"{quarter_month.year}年第{'一二三四'[quarter - 1]}季度党费收缴情况",
                     "全村党员38名，本季度应缴党费2,280元，实缴2,280元，已全部上缴镇党委。\n\n"
                     "新发展预备党员1名，已在村公示栏公示7天，无异议。", clerk, months[-1] + timedelta(days=3),
                     period=f"{quarter_month.year}-Q{quarter}")
    _text_disclosure(demo, "hexi", "affairs", "adhoc", "村道硬化工程招标结果",
                     "经村民代表会议决议，村道硬化工程（全长1.2公里）公开比选。\n\n"
                     "中选单位：清溪建筑工程队，合同金额186,000元，工期90天。\n\n"
                     "村务监督委员会全程监督。对结果有异议的，可在公示期内点“我要问”反映。",
                     clerk, months[-1] + timedelta(days=12))
    _text_disclosure(demo, "hexi", "affairs", "regular", "村规民约",
                     "一、爱护公共设施，不乱倒垃圾。\n\n二、红白喜事从简，不大操大办。\n\n三、邻里和睦，有事好商量。",
                     clerk, months[0])
    _text_disclosure(demo, "chama", "affairs", "adhoc", "2026年耕地地力保护补贴发放名单",
                     "本年度耕地地力保护补贴共发放126户，每亩补贴105元，名单已在村公示栏张贴。", None,
                     months[0] + timedelta(days=20))
    return demo
