"""The import template clerks download: .xlsx with a sample row and notes, or .csv (UTF-8 with BOM for Excel)."""
import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from disclosure.lines import COLUMNS

SAMPLE = (date(2026, 10, 3), "支出", 1040.00, "办公费", "购入档案柜1套", "县城办公家具店", "记-2026-10-001")


def template_xlsx(categories: list[str]) -> bytes:
    """A workbook with the Chinese headers, one sample row, a 收支 drop-down and a notes sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "收支明细"
    sheet.append(list(COLUMNS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(list(SAMPLE))
    sheet["A2"].number_format = "yyyy-mm-dd"
    sheet["C2"].number_format = "#,##0.00"
    for column, width in zip("ABCDEFG", (12, 8, 12, 12, 30, 20, 16)):
        sheet.column_dimensions[column].width = width
    directions = DataValidation(type="list", formula1='"收入,支出"', allow_blank=False)
    sheet.add_data_validation(directions)
    directions.add("B2:B5001")
    notes = workbook.create_sheet("填写说明")
    for text in ("第2行是示例，填写时请改成本村的实际收支。", "日期：2026-10-03、2026/10/3 或 2026年10月3日。",
                 "收支：只填“收入”或“支出”。", "金额(元)：1040、1,040.00、1040元 都可以，最多两位小数。",
                 "类别可选：" + "、".join(categories), "摘要：一句话写清楚，例如“购入档案柜1套”。",
                 "一次最多5000行。有一行填错，整个文件都不会导入，系统会列出每一个错处。"):
        notes.append([text])
    notes.column_dimensions["A"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    """The same columns as CSV, UTF-8 with a BOM so that Excel shows the Chinese headers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS.values())
    writer.writerow(["2026-10-03", "支出", "1040.00", "办公费", "购入档案柜1套", "县城办公家具店", "记-2026-10-001"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
