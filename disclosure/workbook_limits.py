"""Limits that stop a small hostile .xlsx from unpacking into minutes of CPU and gigabytes of memory.

openpyxl trusts a workbook: it loads the whole shared-strings table, and every cell of a row, into
memory however many there are, and it invents the rows that a sheet skips. A 500 KB upload can
therefore unpack to gigabytes. These checks read only the zip's own records and one streaming pass
over each worksheet, before openpyxl opens anything; the row loop in `importing` then bounds blank
rows and time.
"""
import io
import re
import time
import zipfile

from errors import DomainError, Invalid

MAX_UNPACKED = 30 * 1024 * 1024  # a 5,000-line sheet is 2–4 MB unpacked
MAX_PART = 10 * 1024 * 1024  # shared strings, styles: anything but a worksheet
MAX_PARTS = 500
MAX_ROW_BYTES = 256 * 1024  # a finance line is a few hundred bytes
MAX_BLANK_ROWS = 10_000
IMPORT_SECONDS = 15.0
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CHUNK = 1024 * 1024


class UnpackedTooLarge(DomainError):
    """The workbook would unpack to more than the importer reads."""

    status = 413
    code = "too_large"


def check_workbook(data: bytes) -> None:
    """Refuse a workbook whose parts are too big or too many, or has a giant row, before openpyxl sees it.

    A damaged archive raises whatever zipfile or zlib raise, for the caller to explain.
    Declared sizes can be trusted as upper bounds: zipfile never inflates a part past its declared
    size (it fails the CRC check instead).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise UnpackedTooLarge(f"这个表格文件里的部件超过{MAX_PARTS}个，不像收支明细表。"
                                   "请把明细复制到从模板新建的表格里，另存后再上传。")
        if sum(part.file_size for part in parts) > MAX_UNPACKED:
            raise UnpackedTooLarge(f"这个表格解压后超过{MAX_UNPACKED // 2**20}MB，远超收支明细需要的大小。"
                                   "请只保留收支明细这一张表，删掉多余的行、列、图片和格式，另存为新文件（或 CSV）后再上传。")
        for part in parts:
            if _is_worksheet(part.filename):
                _check_rows(archive, part)
            elif part.file_size > MAX_PART:
                raise UnpackedTooLarge(f"这个表格的“{part.filename}”部分解压后超过{MAX_PART // 2**20}MB"
                                       "（常见原因是大量不同的文字或格式）。请把明细复制到从模板新建的表格里，另存后再上传。")


def _is_worksheet(name: str) -> bool:
    """Worksheet XML parts, the only parts whose rows openpyxl parses one at a time."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _check_rows(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Stream one worksheet and refuse it if any stretch between two row starts is longer than a row may be."""
    since_row = 0  # bytes read since the last row start
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            last = None
            for match in _ROW_START.finditer(window):
                last = match.start()
            if last is None:
                since_row += len(chunk)
            else:
                since_row = len(window) - last
            if since_row > MAX_ROW_BYTES:
                raise UnpackedTooLarge(f"表格里有一行超过{MAX_ROW_BYTES // 1024}KB（有成千上万个格子），不像收支明细。"
                                       "请只保留需要的几列，删掉多余的列和格式，另存后再上传。")
            tail = window[-16:]


class RowBudget:
    """Counts the rows the importer skips and the time it spends, and stops it when either runs out."""

    def __init__(self, seconds: float | None = None, blank_rows: int | None = None):
        self.deadline = time.monotonic() + (IMPORT_SECONDS if seconds is None else seconds)
        self.blank_left = MAX_BLANK_ROWS if blank_rows is None else blank_rows

    def tick(self) -> None:
        """Called for every row read: refuse the file once reading it takes too long."""
        if time.monotonic() > self.deadline:
            raise Invalid("这个表格太复杂，系统没能及时读完。请只保留收支明细这一张表，删掉多余的行、列和格式，"
                          "另存为新文件（或 CSV）后再上传。", code="too_slow")

    def blank(self) -> None:
        """Called for every blank row skipped: refuse a sheet that is mostly empty rows."""
        self.blank_left -= 1
        if self.blank_left < 0:
            raise Invalid(f"表格里空行太多（超过{MAX_BLANK_ROWS}行）。请在Excel里选中明细下方的空行，右键“删除”，"
                          "保存后再上传。", code="too_many_blank_rows")
