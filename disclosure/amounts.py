"""Money as clerks type it (1,040.00 / 1040元 / ￥1040.5) to integer fen, and fen back to yuan text."""
import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_FEN = 10_000_000_000_00  # ten billion yuan: anything larger is a typing slip

_CURRENCY = re.compile(r"^(?:¥|￥|RMB|CNY)?\s*(.*?)\s*(?:元|块|圆)?$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


class AmountError(ValueError):
    """An amount that cannot be read; the message says what to fix, in Chinese."""


def parse_amount(value) -> int:
    """Read a positive amount in yuan (text or a spreadsheet number) and return integer fen."""
    if isinstance(value, bool) or value is None:
        raise AmountError("金额不能为空，请填写数字，例如 1040 或 1,040.00。")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and value != value:  # NaN
            raise AmountError("金额不是数字。")
        number = Decimal(str(value))
        if isinstance(value, float):
            # A formula cell such as =A2*B2 can hold 1234.5600000000001: that is still ¥1,234.56.
            cents = number.quantize(Decimal("0.01"))
            if abs(number - cents) < Decimal("0.000001"):
                number = cents
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
        if not text:
            raise AmountError("金额不能为空，请填写数字，例如 1040 或 1,040.00。")
        text = _CURRENCY.match(text).group(1)
        if text.startswith("-"):
            raise AmountError("金额不能是负数：收入或支出请在“收支”一栏写明。")
        if not _NUMBER.match(text):
            raise AmountError(f"金额“{value}”看不懂，请只填数字，例如 1040 或 1,040.00。")
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise AmountError(f"金额“{value}”看不懂，请只填数字。") from None
    if number < 0:
        raise AmountError("金额不能是负数：收入或支出请在“收支”一栏写明。")
    fen = number * 100
    if fen != fen.to_integral_value():
        raise AmountError("金额最多保留两位小数（到分）。")
    if fen == 0:
        raise AmountError("金额不能是0。")
    if fen > MAX_FEN:
        raise AmountError("金额太大了，请检查是否多写了几位。")
    return int(fen)


def yuan(fen: int, sign: bool = True) -> str:
    """Show integer fen as ¥1,040.00."""
    negative = fen < 0
    whole, cents = divmod(abs(fen), 100)
    text = f"{whole:,}.{cents:02d}"
    return ("-" if negative else "") + ("¥" if sign else "") + text


def plain_yuan(fen: int) -> str:
    """Integer fen as a plain number for spreadsheets and forms: 1040.00."""
    whole, cents = divmod(fen, 100)
    return f"{whole}.{cents:02d}"
