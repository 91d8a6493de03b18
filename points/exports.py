"""Statements as .xlsx: Chinese headers, integer fen totals that match the ledger, no formula injection."""
from io import BytesIO

from openpyxl import Workbook

import clock
from accounts.phones import mask_phone
from points.models import Settlement
from points.settlement import STATUS_WORDS, statement_corrections, statement_lines, yuan

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _append(sheet, row) -> None:
    """Append one row of safe cells."""
    sheet.append([safe_cell(value) for value in row])


def _save(book: Workbook) -> bytes:
    """The workbook as bytes."""
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def statement_xlsx(statement: Settlement) -> bytes:
    """One shop's statement: a line per redemption, then the totals in points, fen and yuan."""
    book = Workbook(write_only=True)  # streams rows: a statement of 10,000 lines stays fast
    sheet = book.create_sheet("结算单")
    for column, width in zip("ABCDEF", (18, 8, 16, 8, 12, 12)):
        sheet.column_dimensions[column].width = width
    shop = statement.shop
    _append(sheet, ["商户", shop.name, "所在村", shop.village.name])
    _append(sheet, ["结算月份", statement.month, "状态", STATUS_WORDS[statement.status]])
    _append(sheet, ["兑换比例（分/积分）", statement.rate_fen, "付款流水号", statement.reference or ""])
    _append(sheet, [])
    _append(sheet, ["时间", "确认号", "村民", "积分", "金额（分）", "金额（元）"])
    for line in statement_lines(statement):
        fen = line.points * statement.rate_fen
        _append(sheet, [clock.local(line.created_at).strftime("%Y-%m-%d %H:%M"), line.confirmation,
                        mask_phone(line.user.phone), line.points, fen, yuan(fen)])
    for line in statement_corrections(statement):
        fen = -line.points * statement.rate_fen
        _append(sheet, [clock.local(line.corrected_at).strftime("%Y-%m-%d %H:%M"), f"更正{line.confirmation}",
                        mask_phone(line.user.phone), -line.points, fen, yuan(fen)])
    _append(sheet, ["合计", "", f"{statement.redemption_count}笔", statement.points, statement.amount_fen,
                    yuan(statement.amount_fen)])
    return _save(book)


def month_summary_xlsx(township_name: str, month: str, statements: list[Settlement]) -> bytes:
    """The township's month: one row per shop statement and the total owed."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("月度汇总")
    _append(sheet, ["乡镇", township_name, "月份", month])
    _append(sheet, [])
    _append(sheet, ["商户", "所在村", "笔数", "积分", "兑换比例（分/积分）", "金额（分）", "金额（元）", "状态", "付款流水号"])
    for s in statements:
        _append(sheet, [s.shop.name, s.shop.village.name, s.redemption_count, s.points, s.rate_fen, s.amount_fen,
                        yuan(s.amount_fen), STATUS_WORDS[s.status], s.reference or ""])
    total_fen = sum(s.amount_fen for s in statements)
    _append(sheet, ["合计", "", sum(s.redemption_count for s in statements), sum(s.points for s in statements), "",
                    total_fen, yuan(total_fen), "", ""])
    return _save(book)
