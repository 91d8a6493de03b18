"""One finance line checked field by field, whether it came from a form, the API or a spreadsheet row."""
import unicodedata
from datetime import date

from disclosure.amounts import MAX_FEN, AmountError, parse_amount
from disclosure.dates import DateError, parse_date

DIRECTION_WORDS = {"收入": "income", "收": "income", "income": "income", "支出": "expense", "支": "expense",
                   "expense": "expense"}
# Column names of the template, also used to name the field of an error.
COLUMNS = {"date": "日期", "direction": "收支", "amount": "金额(元)", "category": "类别", "text": "摘要",
           "counterparty": "对方", "voucher": "凭证号"}
LIMITS = {"text": 200, "counterparty": 100, "voucher": 40}


def _clean(value) -> str:
    """Text of a cell or form field with width variants and outer spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a voucher number typed as a number
    return unicodedata.normalize("NFKC", str(value)).strip()


def read_line(raw: dict, categories: list[str], today: date | None = None) -> tuple[dict | None, dict[str, str]]:
    """Check one raw line; return (clean line, {}) or (None, {field: Chinese message})."""
    errors: dict[str, str] = {}
    line: dict = {}
    try:
        line["date"] = parse_date(raw.get("date"), today)
    except DateError as exc:
        errors["date"] = str(exc)
    direction = DIRECTION_WORDS.get(_clean(raw.get("direction")).lower())
    if direction is None:
        errors["direction"] = "收支请填“收入”或“支出”。"
    line["direction"] = direction
    try:
        if raw.get("amount_fen") is not None:
            line["amount_fen"] = _fen(raw["amount_fen"])
        else:
            line["amount_fen"] = parse_amount(raw.get("amount"))
    except AmountError as exc:
        errors["amount"] = str(exc)
    category = _clean(raw.get("category"))
    if not category:
        errors["category"] = f"类别不能为空，可选：{'、'.join(categories)}。"
    elif category not in categories:
        errors["category"] = f"类别“{category}”不在本村的类别表里，可选：{'、'.join(categories)}。"
    line["category"] = category
    text = _clean(raw.get("text"))
    if not text:
        errors["text"] = "摘要不能为空，用一句话写清楚钱花在哪里，例如“购入档案柜1套”。"
    line["text"] = text
    line["counterparty"] = _clean(raw.get("counterparty"))
    line["voucher"] = _clean(raw.get("voucher"))
    for field, limit in LIMITS.items():
        if len(line[field]) > limit and field not in errors:
            errors[field] = f"{COLUMNS[field]}最多{limit}个字。"
    return (None, errors) if errors else (line, {})


def _fen(value) -> int:
    """An amount already in integer fen (the API's form), checked like any other."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise AmountError("amount_fen 必须是整数（单位：分）。")
    if value <= 0:
        raise AmountError("金额必须大于0。")
    if value > MAX_FEN:
        raise AmountError("金额太大了，请检查是否多写了几位。")
    return value
