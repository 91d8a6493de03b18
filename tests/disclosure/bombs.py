"""Hostile workbooks made on the spot: small files that unpack into millions of rows or strings.

Each is a real .xlsx that openpyxl would open (its own workbook, with one part swapped for a huge
one written in chunks and deflated), so only the importer's own limits stand between it and minutes
of CPU.
"""
import io
import zipfile

from openpyxl import Workbook

HEADER = ["日期", "收支", "金额(元)", "类别", "摘要"]
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHEET_HEAD = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
               '<row r="1">' + "".join(f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
                                       for col, text in zip("ABCDE", HEADER)) + "</row>")
_DATA_ROW = ('<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>2026-10-03</t></is></c>'
             '<c r="B{n}" t="inlineStr"><is><t>支出</t></is></c><c r="C{n}"><v>10</v></c>'
             '<c r="D{n}" t="inlineStr"><is><t>其他</t></is></c><c r="E{n}" t="inlineStr"><is><t>电费</t></is></c></row>')


def _base_parts() -> dict[str, bytes]:
    """Every part of a plain one-sheet workbook saved by openpyxl."""
    book = Workbook()
    book.active.append(HEADER)
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _pack(parts: dict[str, bytes], big_name: str, chunks) -> bytes:
    """Zip the parts, streaming `chunks` into the part `big_name` at the strongest compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            if name != big_name:
                archive.writestr(name, data)
        with archive.open(big_name, "w", force_zip64=True) as part:
            for chunk in chunks:
                part.write(chunk.encode())
    return out.getvalue()


def blank_rows_workbook(blank: int, numbered: bool = True) -> bytes:
    """A header, `blank` empty rows, then one real row.

    Numbered rows (`<row r="n"/>`) are what Excel writes for formatted blanks; unnumbered ones
    (`<row/>`) compress about a thousand to one, which is how 20 million fit in a few hundred KB.
    """
    def chunks():
        yield _SHEET_HEAD
        step = 10_000
        for start in range(2, blank + 2, step):
            stop = min(start + step, blank + 2)
            yield "".join(f'<row r="{n}"/>' for n in range(start, stop)) if numbered else "<row/>" * (stop - start)
        yield _DATA_ROW.format(n=blank + 2)
        yield "</sheetData></worksheet>"

    return _pack(_base_parts(), SHEET, chunks())


def far_row_workbook(row_number: int) -> bytes:
    """A header and one real row numbered `row_number`: openpyxl invents every row in between."""
    return _pack(_base_parts(), SHEET, [_SHEET_HEAD, _DATA_ROW.format(n=row_number), "</sheetData></worksheet>"])


def shared_strings_workbook(strings: int) -> bytes:
    """A plain workbook whose shared-strings table holds `strings` entries that no cell uses."""
    parts = _base_parts()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{STRINGS}" ContentType="{STRINGS_TYPE}"/></Types>').encode()

    def chunks():
        yield f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{strings}">'
        step = 10_000
        for start in range(0, strings, step):
            yield "<si><t>村务公开</t></si>" * min(step, strings - start)
        yield "</sst>"

    parts[STRINGS] = b""
    return _pack(parts, STRINGS, chunks())


def wide_row_workbook(cells: int) -> bytes:
    """A header and one row of `cells` cells: no blank rows, but a lot to parse."""
    def chunks():
        yield _SHEET_HEAD + '<row r="2">'
        step = 10_000
        for start in range(0, cells, step):
            yield '<c t="inlineStr"><is><t>x</t></is></c>' * min(step, cells - start)
        yield "</row></sheetData></worksheet>"

    return _pack(_base_parts(), SHEET, chunks())
