"""What changed between two revisions: lines added, removed, and lines whose amount or words changed."""
from collections import defaultdict

from disclosure.amounts import yuan

COMPARED = ("date", "direction", "amount_fen", "category", "text", "counterparty", "voucher")
FIELD_NAMES = {"date": "日期", "direction": "收支", "amount_fen": "金额", "category": "类别", "text": "摘要",
               "counterparty": "对方", "voucher": "凭证号"}


def _get(line, field):
    """Read a field from a model row or a plain dict."""
    return line[field] if isinstance(line, dict) else getattr(line, field)


def _signature(line) -> tuple:
    """Every shown field: two lines with the same signature are the same line."""
    return tuple(_get(line, f) for f in COMPARED)


def _identity(line) -> tuple:
    """What makes a line 'the same line, changed': its voucher, else its date, direction and words."""
    voucher = _get(line, "voucher")
    return ("v", voucher) if voucher else ("t", _get(line, "date"), _get(line, "direction"), _get(line, "text"))


def diff_lines(old_lines, new_lines) -> dict:
    """Compare two lists of lines: {'added': [...], 'removed': [...], 'changed': [(old, new, [fields])]}."""
    unmatched_old = defaultdict(list)
    for line in old_lines:
        unmatched_old[_signature(line)].append(line)
    fresh = []
    for line in new_lines:
        same = unmatched_old[_signature(line)]
        if same:
            same.pop(0)
        else:
            fresh.append(line)
    remaining = {id(line) for group in unmatched_old.values() for line in group}
    leftovers = defaultdict(list)
    for line in old_lines:
        if id(line) in remaining:
            leftovers[_identity(line)].append(line)
    added, changed = [], []
    for line in fresh:
        candidates = leftovers[_identity(line)]
        if candidates:
            old = candidates.pop(0)
            changed.append((old, line, [f for f in COMPARED if _get(old, f) != _get(line, f)]))
        else:
            added.append(line)
    still = {id(line) for group in leftovers.values() for line in group}
    removed = [line for line in old_lines if id(line) in still]
    return {"added": added, "removed": removed, "changed": changed}


def _line_words(line) -> str:
    """A line in a few words: 购入档案柜1套 ¥1,040.00."""
    return f"{_get(line, 'text')} {yuan(_get(line, 'amount_fen'))}"


def summarize(old, new) -> dict:
    """The stored record of a correction: headline changes and each line change in Chinese."""
    diff = diff_lines(old.lines, new.lines)
    notes = []
    if old.title != new.title:
        notes.append(f"标题由“{old.title}”改为“{new.title}”")
    if old.period != new.period:
        notes.append("期间有改动")
    if old.body != new.body:
        notes.append("正文有改动")
    if sorted(a.storage_key for a in old.attachments) != sorted(a.storage_key for a in new.attachments):
        notes.append("附件有改动")
    items = [f"新增：{_line_words(line)}" for line in diff["added"]]
    items += [f"删除：{_line_words(line)}" for line in diff["removed"]]
    for before, after, fields in diff["changed"]:
        if "amount_fen" in fields:
            items.append(f"金额改动：{_get(after, 'text')} {yuan(_get(before, 'amount_fen'))} → "
                         f"{yuan(_get(after, 'amount_fen'))}")
        else:
            items.append(f"改动（{'、'.join(FIELD_NAMES[f] for f in fields)}）：{_line_words(after)}")
    return {"added": len(diff["added"]), "removed": len(diff["removed"]), "changed": len(diff["changed"]),
            "notes": notes, "items": items[:200], "more": max(0, len(items) - 200)}
