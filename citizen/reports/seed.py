"""Demo data of the reports area: a dozen 河西村 reports in various states."""
from datetime import timedelta

import clock
from accounts.seed import Demo
from citizen.reports import lifecycle
from citizen.reports.models import Report
from citizen.reports.filing import submit_report
from storage import Batch
from disclosure import lookup

# token, category, content, named?, cadre name, state, handler's text
DEMO_REPORTS = (
    ("demo-hexi-01", "环境卫生", "村东头垃圾池已经半个月没有清运了，夏天味道很大，苍蝇很多。", False, None, "submitted", None),
    ("demo-hexi-02", "三务公开", "公开栏上的九月份财务明细一直没有贴出来，想知道修路的钱花了多少。", True, None, "submitted", None),
    ("demo-hexi-03", "工程项目", "村西小桥加固工程的水泥标号好像不对，施工时也没有人监理。", False, "赵卫东", "accepted", None),
    ("demo-hexi-04", "惠农政策", "耕地地力保护补贴今年到账比往年少，不知道是按多少亩算的。", True, None, "accepted", None),
    ("demo-hexi-05", "三资管理", "村里的鱼塘承包合同到期后没有公开招标，直接续给了原来的人。", False, None, "answered",
     "经核查，鱼塘承包合同续签未经村民代表会议表决，已责成村委会于下月重新公开招标，结果将在公开栏公示。"),
    ("demo-hexi-06", "环境卫生", "河边有人倾倒建筑垃圾，已经堆了好几车，影响排水。", True, None, "answered",
     "已联系镇环卫所清运，并在河边设置禁止倾倒标识，村里安排专人每周巡查。"),
    ("demo-hexi-07", "惠农政策", "低保名单里有一户家里开着小轿车，是否符合条件请核实。", False, None, "closed",
     "经入户核查，该户车辆登记在已分户子女名下，家庭收入符合低保条件；复核材料已公示。"),
    ("demo-hexi-08", "作风纪律", "办理宅基地证明时村干部让跑了三趟，每次都说章不在。", True, None, "closed",
     "已提醒相关干部改进作风，村委会公章使用实行登记制度，工作日随时可办理。"),
    ("demo-hexi-09", "其他", "想问一下村里的广场舞音响能不能晚上九点以后关掉。", False, None, "rejected",
     "该事项属于邻里协商事项，不属于村务监督范围，已转村委会调解。"),
    ("demo-hexi-10", "作风纪律", "村党支部书记在村集体工程中安排亲戚承包，没有经过公开招标程序。", False, "张建国", "submitted", None),
    ("demo-hexi-11", "三资管理", "村监会委员对村集体仓库出租一事知情但没有提出意见，出租价格明显偏低。", False, "王明", "submitted", None),
    ("demo-hexi-12", "工程项目", "村道路灯安装后一个月就坏了三盏，质保期内应该由施工方修。", False, None, "accepted", None),
)


def seed_demo(demo: Demo) -> Demo:
    """The 河西村 demo reports (idempotent)."""
    demo.tracking_codes = _reports(demo)
    return demo


def _reports(demo: Demo) -> dict[str, str]:
    """The demo reports, filed through submit_report and moved on through the real lifecycle at past moments."""
    village = demo.villages["hexi"]
    villager = demo.users["13900000101"]
    committee, inspector = demo.users["13900000012"], demo.users["13900000002"]
    cadres = {c.name: c for c in lookup.namable_cadres(village)}
    codes = {}
    start = clock.now() - timedelta(days=len(DEMO_REPORTS) * 2)
    for number, (token, category, content, named, cadre_name, state, text) in enumerate(DEMO_REPORTS):
        data = {"category": category, "content": content, "anonymous": not named, "allow_public": number % 2 == 0,
                "subject": None, "cadre_id": cadres[cadre_name].id if cadre_name else None}
        at = start + timedelta(days=number * 2)
        with clock.at(at):
            submission = submit_report(village, data, [], Batch(), villager if named else None, token)
        codes[token] = submission.tracking_code
        if not submission.repeated:
            handler = inspector if submission.report.level == "township" else committee
            _move_to(submission.report, state, text, handler, at)
    return codes


def _move_to(report: Report, state: str, text: str | None, handler, at) -> None:
    """Take a fresh demo report to `state` through the lifecycle, a day or so per step."""
    if state == "submitted":
        return
    if state == "rejected":
        with clock.at(at + timedelta(days=1)):
            lifecycle.reject_report(report, handler, text)
        return
    with clock.at(at + timedelta(days=1)):
        lifecycle.accept_report(report, handler)
    if state == "accepted":
        return
    with clock.at(at + timedelta(days=2)):
        lifecycle.message_as_handler(report, handler, "请问大概是从什么时候开始的？方便的话补充一张照片。")
    with clock.at(at + timedelta(days=5)):
        lifecycle.answer_report(report, handler, text, publish=report.allow_public)
    if state == "answered":
        return
    with clock.at(at + timedelta(days=6)):
        lifecycle.rate_report(report, "satisfied")
