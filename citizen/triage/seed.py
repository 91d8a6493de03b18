"""Demo data: reports filed and run through the real lifecycle (open green/yellow/red, on the wall, escalated)."""
from datetime import timedelta


import clock
from accounts.seed import Demo, get_or_create
from citizen.reports import lifecycle
from citizen.reports.filing import submit_report
from storage import Batch
from citizen.reports.tracking import find_by_form_token
from citizen.triage.models import ReplyTemplate
from disclosure import lookup
from extensions import db

TEMPLATES = (
    ("已安排维修", "经核实，您反映的问题属实，村里已安排人员维修，预计一周内完成。感谢您的监督。"),
    ("已在公开栏公示", "您关心的账目已在村务公开栏和本平台“三务公开”中逐笔公示，欢迎查看。如有疑问可继续留言。"),
    ("转交相关部门", "经研究，此事不属于村级办理范围，已转交镇相关部门，请留意后续答复。"),
)

# key, village, hours ago, category, content, named?, allow_public, steps
DEMO_CASES = (
    ("open-green", "hexi", 3, "环境卫生", "村东头垃圾池满了好几天没人清运，天热有味道。", False, True, ()),
    ("open-yellow", "hexi", 40, "三资管理", "村集体鱼塘今年承包给谁了？承包费多少？公开栏没看到。", True, True, ()),
    ("open-red", "hexi", 100, "惠农政策", "今年的耕地地力保护补贴我家还没收到，联系电话13800010001。", True, True, ()),
    ("accepted", "hexi", 30, "工程项目", "村西道路硬化工程路面已经开裂，施工质量有问题。", False, True, ("accept",)),
    ("wall-satisfied", "hexi", 24 * 12, "环境卫生", "文化广场的路灯坏了三盏，晚上跳舞看不清。", True, True,
     ("accept", "answer", "satisfied")),
    ("wall-basic", "hexi", 24 * 20, "三务公开", "上个月的财务公开只贴了总数，没有明细。", False, True,
     ("accept", "answer", "basic")),
    ("wall-waiting", "hexi", 24 * 6, "作风纪律", "村委会办公室上班时间经常没人，办事找不到人。", False, True, ("accept", "answer")),
    ("senior", "hexi", 20, "三资管理", "村里旧仓库出租给了书记的亲戚，租金远低于市场价，没有上会讨论。", False, False,
     ("secretary",)),
    ("chama-open", "chama", 10, "环境卫生", "村口的河道有人倾倒建筑垃圾。", False, True, ()),
    ("chama-wall", "chama", 24 * 9, "惠农政策", "低保名单什么时候公示？", True, True, ("accept", "answer", "satisfied")),
)
REPLIES = {
    "wall-satisfied": "经核实，三盏路灯已于本周更换完毕，并安排专人每月巡查。感谢您的监督。",
    "wall-basic": "已在公开栏和本平台补充公布上月财务明细，共23笔，今后按月逐笔公开。",
    "wall-waiting": "已调整村委会值班安排，工作日8:30-17:30有专人值守，值班电话贴在门口。",
    "chama-wall": "今年低保名单已于本月10日在村公开栏公示7天，本平台“三务公开”中也可查看。",
}




def _submit(village, key, created, category, content, named_user, allow_public, cadre):
    """File a demo case through the real submit_report at its past moment; the key makes it idempotent."""
    data = {"category": category, "content": content, "anonymous": named_user is None, "allow_public": allow_public,
            "subject": ("cadre", cadre.id) if cadre else None, "cadre_id": cadre.id if cadre else None}
    with clock.at(created):
        return submit_report(village, data, [], Batch(), named_user, _token(key)).report


def _token(key: str) -> str:
    """The demo case's form token, so a second seed run finds it."""
    return f"demo-triage-{key}"


def seed_demo(demo: Demo) -> Demo:
    """Create the demo cases once, each moved through the lifecycle at realistic times."""
    for title, body in TEMPLATES:
        get_or_create(ReplyTemplate, {"body": body}, township_id=demo.township.id, title=title)
    heads = {"hexi": demo.users["13900000012"], "chama": demo.users["13900000022"]}
    villagers = {"hexi": demo.users["13900000101"], "chama": demo.users["13900000102"]}
    now = clock.now()
    for key, slug, hours, category, content, named, public, steps in DEMO_CASES:
        if find_by_form_token(_token(key)) is not None:
            continue
        village = demo.villages[slug]
        cadre = None
        if "secretary" in steps:
            cadre = next((c for c in lookup.namable_cadres(village) if c.secretary_chair), None)
        created = now - timedelta(hours=hours)
        report = _submit(village, key, created, category, content, villagers[slug] if named else None, public, cadre)
        head = heads[slug]
        if "accept" in steps:
            with clock.at(created + timedelta(hours=min(20, hours / 3))):
                lifecycle.accept_report(report, head, "已受理，正在核实。")
        if "answer" in steps:
            with clock.at(created + timedelta(hours=hours * 0.6)):
                lifecycle.answer_report(report, head, REPLIES[key], publish=public)
        for rating in ("satisfied", "basic"):
            if rating in steps:
                with clock.at(created + timedelta(hours=hours * 0.8)):
                    lifecycle.rate_report(report, rating, "谢谢，办得及时。" if rating == "satisfied" else None)
    db.session.flush()
    return demo
