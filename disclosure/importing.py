"""Spreadsheet import: .xlsx and .csv (UTF-8 or GBK) to raw line dicts, all or nothing, every bad row named."""
import csv
import io
import unicodedata

from openpyxl import load_workbook

from disclosure.lines import COLUMNS
from disclosure.publishing import add_lines, draft_of, start_correction
from disclosure.workbook_limits import RowBudget, check_workbook
from errors import DomainError, Invalid

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50  # openpyxl pads every row to the sheet's declared width; a finance sheet has 7
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
# Header spellings clerks use, all mapped to a field.
HEADERS = {"日期": "date", "收支": "direction", "收/支": "direction", "收入/支出": "direction", "方向": "direction",
           "金额(元)": "amount", "金额": "amount", "金额元": "amount", "类别": "category", "科目": "category",
           "摘要": "text", "事项": "text", "内容": "text", "对方": "counterparty", "对方单位": "counterparty",
           "收款方": "counterparty", "凭证号": "voucher", "凭证": "voucher", "凭证编号": "voucher"}
REQUIRED = ("date", "direction", "amount", "category", "text")


class TooLarge(DomainError):
    """The upload is over the import limit."""

    status = 413
    code = "too_large"


class UnsupportedFile(DomainError):
    """The upload is not a spreadsheet we can read: wrong type, encrypted, empty."""

    status = 415
    code = "unsupported_file"


class BadEncoding(Invalid):
    """A text file whose bytes are not whole characters of any encoding we read."""

    code = "bad_encoding"


def _header_key(value) -> str | None:
    """Which field a header cell names, ignoring spaces, full-width brackets and a star for required."""
    text = unicodedata.normalize("NFKC", str(value or "")).replace(" ", "").replace("*", "").strip()
    return HEADERS.get(text)


def read_upload(filename: str, data: bytes) -> list[tuple[int, dict]]:
    """Turn an uploaded file into (spreadsheet row number, raw line) pairs, or refuse it with a clear reason."""
    if not data:
        raise UnsupportedFile("文件是空的，请在模板里填好收支明细后再上传。", code="empty_file")
    if len(data) > MAX_BYTES:
        raise TooLarge("文件超过5MB，请分成几个文件上传。")
    name = (filename or "").lower()
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:
            raise UnsupportedFile("这个Excel文件设置了密码，系统打不开。请在Excel里取消密码（文件→信息→保护工作簿），"
                                  "保存后再上传。", code="encrypted_file")
        raise UnsupportedFile("这是旧版Excel（.xls）文件，请在Excel里“另存为”.xlsx 或 CSV 后再上传。", code="old_excel")
    if data.startswith(b"PK"):
        return _read_xlsx(data)
    if name.endswith((".xlsx", ".xlsm", ".xls")) or data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8")):
        raise UnsupportedFile("文件类型不对：请上传从模板填好的 .xlsx 或 .csv 文件。", code="wrong_type")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not name.endswith((".csv", ".txt")) and b"\x00" in data[:4096] and not utf16:
        raise UnsupportedFile("文件类型不对：请上传从模板填好的 .xlsx 或 .csv 文件。", code="wrong_type")
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[tuple[int, dict]]:
    """Rows of the first worksheet; dates arrive as Excel date cells or text."""
    damaged = UnsupportedFile("这个文件打不开：它不是有效的 .xlsx 表格，或已损坏。请用模板重新填写后上传。",
                              code="wrong_type")
    try:
        check_workbook(data)
    except DomainError:
        raise
    except Exception:  # zipfile and zlib fail in many ways on a damaged archive; all mean the same
        raise damaged from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged zip or XML fails in many ways; each means the same to the clerk
        raise damaged from None
    try:
        sheet = workbook.worksheets[0]
        return _rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except DomainError:
        raise
    except Exception:  # damage inside a sheet only shows while its rows are read
        raise damaged from None
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GBK/GB18030 as Chinese Excel saves it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:  # an odd length or a lone surrogate: the file was cut short or damaged
            raise BadEncoding("这个 CSV 文件是 UTF-16 编码，但文字不完整（文件可能没有传完或已损坏）。"
                              "请在Excel里重新“另存为”CSV UTF-8 或 .xlsx 后再上传。") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise BadEncoding("文件的文字编码认不出来，请在Excel里“另存为”CSV UTF-8 或 .xlsx 后再上传。") from None


def _read_csv(data: bytes) -> list[tuple[int, dict]]:
    """Rows of a CSV file, comma, semicolon or tab separated."""
    text = _decode(data)
    if "\x00" in text:
        raise UnsupportedFile("文件类型不对：请上传从模板填好的 .xlsx 或 .csv 文件。", code="wrong_type")
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";", "，"), key=first.count)
    try:
        return _rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise UnsupportedFile("CSV 文件格式有误（引号或换行不成对），请在Excel里重新“另存为”CSV 后上传。",
                              code="bad_csv") from None


def _rows(source) -> list[tuple[int, dict]]:
    """Find the header row (among the first 10), map the columns, collect non-blank rows with their numbers."""
    rows = iter(source)
    budget = RowBudget()
    columns = None
    number = 0
    for number, row in enumerate(rows, start=1):
        budget.tick()
        keys = [_header_key(cell) for cell in row]
        if sum(1 for k in keys if k) >= 3:
            columns = keys
            break
        if number >= 10:
            break
    if columns is None:
        if number == 0:
            raise UnsupportedFile("文件是空的，请在模板里填好收支明细后再上传。", code="empty_file")
        raise Invalid("找不到表头：第一行应是 " + "、".join(COLUMNS.values()) + "。请下载模板对照填写。",
                      code="missing_header")
    missing = [COLUMNS[f] for f in REQUIRED if f not in columns]
    if missing:
        raise Invalid(f"表头缺少：{'、'.join(missing)}。请下载模板对照填写。", code="missing_header")
    found = []
    for number, row in enumerate(rows, start=number + 1):
        budget.tick()
        raw = {}
        for key, cell in zip(columns, row):
            if key and key not in raw:
                raw[key] = cell.strip() if isinstance(cell, str) else cell
        if all(value in (None, "") for value in raw.values()):
            budget.blank()
            continue
        found.append((number, raw))
        if len(found) > MAX_ROWS:
            raise Invalid(f"一次最多导入{MAX_ROWS}行，请分成几个文件。", code="too_many_rows")
    if not found:
        raise UnsupportedFile("表格里只有表头，没有收支明细。请填好后再上传。", code="empty_file")
    return found


def import_lines(disclosure, actor, filename: str, data: bytes) -> int:
    """Replace the draft's lines with a spreadsheet's rows: every row good, or none imported.

    Into a published disclosure the rows go to a correction draft (opened if needed): villagers keep
    reading the published revision until the clerk publishes the correction with a reason.
    """
    rows = read_upload(filename, data)
    if disclosure.status == "published" and draft_of(disclosure) is None:
        start_correction(disclosure, actor)
    return add_lines(disclosure, actor, [raw for _, raw in rows], replace=True, numbers=[n for n, _ in rows])
