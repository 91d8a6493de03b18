"""三务公开 in a phone: a villager reads a finance month and finds 我要问; a clerk imports, fixes a row, publishes."""
import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from tests.e2e.conftest import ARTIFACTS, login_with_password

MEASURE = (Path(__file__).parent / "measure.js").read_text()
HEADER = ["日期", "收支", "金额(元)", "类别", "摘要", "对方", "凭证号"]


def _workbook(path: Path, amount) -> Path:
    """A real .xlsx with two lines; the second line's amount is `amount`."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([date(2026, 10, 3), "支出", 1040, "办公费", "购入档案柜1套", "县城办公家具店", "E2E-1"])
    sheet.append(["2026/10/5", "收入", amount, "上级拨款", "镇财政拨付村级运转经费", "清溪镇财政所", "E2E-2"])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_villager_opens_a_finance_month_and_finds_the_ask_link(phone):
    phone.goto(phone.base + "/v/hexi")
    phone.click("text=三务公开")
    phone.wait_for_url("**/v/hexi/disclosures")
    assert "财务最近公开" in phone.inner_text("#freshness")
    phone.shot("disclosure-board")
    phone.click(".d-item:has-text(\"河西村\") >> nth=0")  # a demo month, whatever other tests published
    phone.wait_for_url("**/d/*")
    assert "财务收支明细" in phone.inner_text("#d-title")
    assert "¥" in phone.inner_text("#total-expense")
    first_line = phone.locator(".line").first
    assert "¥" in first_line.inner_text()
    ask = first_line.locator("a.ask")
    assert ask.inner_text() == "我要问"
    assert "/v/hexi/report?subject=line:" in ask.get_attribute("href")
    metrics = phone.evaluate(MEASURE)
    assert metrics["pageWidth"] <= 360 and metrics["bodySize"] >= 18
    assert all(b["height"] >= 44 for b in metrics["buttons"]), metrics["buttons"][:5]
    phone.shot("disclosure-finance-month")


def test_clerk_imports_sees_the_bad_row_fixes_it_and_publishes(phone, tmp_path):
    login_with_password(phone, phone.base, "13900000011", "demo-clerk")
    phone.goto(phone.base + "/clerk")
    phone.fill("#n-title", "E2E测试 2030年1月财务收支明细")
    phone.fill("#n-period", "2030年1月")
    phone.click("#create-btn")
    phone.wait_for_url("**/clerk/d/*")

    phone.set_input_files("#i-file", str(_workbook(tmp_path / "bad.xlsx", "两万元")))
    phone.click("#import-btn")
    phone.wait_for_load_state()
    errors = phone.inner_text("#row-errors")
    assert "第3行" in errors and "金额(元)" in errors and "看不懂" in errors
    phone.shot("disclosure-import-row-error")

    phone.set_input_files("#i-file", str(_workbook(tmp_path / "good.xlsx", "20,000.00")))
    phone.click("#import-btn")
    phone.wait_for_load_state()
    assert "已导入2笔" in phone.inner_text("#imported")
    phone.click("#publish-btn")
    phone.wait_for_load_state()
    assert "已发布" in phone.inner_text("#published")
    phone.shot("disclosure-clerk-published")

    phone.click("#published a")
    phone.wait_for_url("**/d/*")
    assert "购入档案柜1套" in phone.inner_text("#receipt")
    assert phone.inner_text("#total-income") == "¥20,000.00"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


def test_power_list_and_cadres_read_well_and_link_to_the_report_form(phone):
    phone.goto(phone.base + "/v/hexi/disclosures")
    phone.click("text=小微权力清单")
    phone.wait_for_url("**/v/hexi/powers")
    assert phone.locator("section.power").count() == 14
    first = phone.locator("section.power").first
    assert first.get_attribute("id").startswith("item-")
    hrefs = [a.get_attribute("href") for a in first.locator("a.ask").all()]
    assert len(hrefs) == 2 and all("/v/hexi/report?subject=power_item:" in h for h in hrefs)
    metrics = phone.evaluate(MEASURE)
    assert metrics["pageWidth"] <= 360 and all(b["height"] >= 44 for b in metrics["buttons"])
    phone.shot("disclosure-powers")

    phone.goto(phone.base + "/v/hexi/cadres")
    chair = phone.locator("section.cadre", has_text="张建国")
    assert "党支部书记兼村委会主任" in chair.inner_text() and "廉洁承诺" in chair.inner_text()
    assert "/v/hexi/report?subject=cadre:" in chair.locator("a.ask").get_attribute("href")
    phone.shot("disclosure-cadres")
