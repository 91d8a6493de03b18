"""What a report is about: a cadre, a finance line or a power-list item of the same village.

Finding and naming subjects is the disclosure area's (disclosure.lookup); this module turns its answers
into the report form's checks and messages.
"""
from accounts.models import Village
from disclosure import lookup
from disclosure.models import Cadre
from errors import Invalid

NOT_FOUND = "找不到这一项：它可能已删除，或不属于这个村。"


def parse_subject(raw: str | None) -> tuple[str, int] | None:
    """`line:12` → ("line", 12); empty → None; anything else is a 422 naming the field."""
    if not raw:
        return None
    parsed = lookup.parse_subject(raw.strip())
    if parsed is None:
        raise Invalid(NOT_FOUND, code="subject_not_found", fields={"subject": [NOT_FOUND]})
    return parsed


def resolve_subject(village: Village, subject: tuple[str, int] | None):
    """The subject row for (type, id) in this village, or a 422 "找不到这一项"."""
    if subject is None:
        return None
    subject_type, subject_id = subject
    obj = lookup.find_subject(village, subject_type, subject_id) if subject_type in lookup.SUBJECT_TYPES else None
    if obj is None:
        raise Invalid(NOT_FOUND, code="subject_not_found", fields={"subject": [NOT_FOUND]})
    return obj


def find_cadre(village: Village, cadre_id: int | None) -> Cadre | None:
    """A cadre of this village by id, or a 422 when it is not one."""
    if cadre_id is None:
        return None
    cadre = lookup.find_cadre(village, cadre_id)
    if cadre is None:
        raise Invalid("选择的干部不在这个村。", fields={"cadre_id": ["请从列表中选择本村干部。"]})
    return cadre


def village_cadres(village: Village) -> list[Cadre]:
    """The cadres a reporter may name, in board order."""
    return lookup.namable_cadres(village)
