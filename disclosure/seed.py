"""Demo data of 三务公开: cadres with a secretary-chair and a committee for each demo village."""
from datetime import date

from accounts.seed import Demo, get_or_create
from disclosure.models import Cadre

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


def seed_demo(demo: Demo) -> Demo:
    """Create each demo village's cadres once."""
    for slug, cadres in DEMO_CADRES.items():
        village = demo.villages[slug]
        for order, (name, post, chair, committee, phone, duties) in enumerate(cadres):
            get_or_create(Cadre, {
                "post": post, "secretary_chair": chair, "committee": committee, "duties": duties,
                "pledge": PLEDGE, "pledge_date": date(2026, 1, 15), "sort_order": order,
                "office_phone": "0000-0000000", "office_hours": "工作日 8:30-17:30 村委会办公室",
                "user_id": demo.users[phone].id if phone else None,
            }, village_id=village.id, name=name)
    return demo
