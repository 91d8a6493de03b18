"""码上监督 codes: a registry of printed codes, where each points, where it is posted, and scan counts."""
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, session, url_for

import clock
import counters
from accounts.models import User, Village
from accounts.places import find_village
from citizen.codes import targets
from citizen.codes.models import QR_KINDS, QrCode, QrScanDay
from errors import Conflict, Invalid, NotFound
from extensions import db

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LEN = 10  # 50 bits
KIND_NAMES = {"village": "村首页", "disclosure": "公开事项", "power_item": "权力清单事项", "cadre": "干部名片",
              "shop": "商户收款", "event": "活动签到"}
SCAN_KEY = "scan"
SCAN_MINUTES = 10


class CodeUnknown(NotFound):
    """No such code."""

    code = "qr_unknown"
    message = "无效的二维码：系统里没有这个码。请从全镇的村列表进入。"


class CodeRevoked(Conflict):
    """A code that was withdrawn (lost or forged)."""

    status = 410
    code = "qr_revoked"
    message = "此码已停用：它可能丢失或被仿冒。请从全镇的村列表进入，或向村监会反映。"


def new_code() -> str:
    """A fresh short code from an alphabet without look-alike characters."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LEN))


def get_code(code: str) -> QrCode:
    """The registered code (any case), or CodeUnknown."""
    clean = (code or "").strip().upper()
    if not clean or len(clean) > 16:
        raise CodeUnknown()
    row = db.session.execute(sa.select(QrCode).where(QrCode.code == clean)).scalar_one_or_none()
    if row is None:
        raise CodeUnknown()
    return row


def create_code(village: Village, kind: str, target_id: int | None, label: str, creator: User | None) -> QrCode:
    """Register a code for a target of this village. Flushes."""
    label = (label or "").strip()
    if kind not in QR_KINDS:
        raise Invalid("二维码类型不对。", fields={"kind": [f"只能是：{'、'.join(QR_KINDS)}。"]})
    if not 2 <= len(label) <= 60:
        raise Invalid("请写明张贴位置（2到60个字），例如“河西村村委会公开栏”。", fields={"label": ["请填写2到60个字。"]})
    _printable(label)
    if kind == "village":
        target_id = None
    elif not targets.target_exists(village, kind, target_id):
        raise Invalid("找不到要指向的内容，或它不属于这个村。", fields={"target_id": ["找不到这一项。"]})
    row = QrCode(code=new_code(), kind=kind, target_id=target_id, village_id=village.id, label=label,
                 created_by_id=creator.id if creator else None, created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    return row


def relabel_code(row: QrCode, label: str) -> QrCode:
    """Change where a code says it is posted."""
    label = (label or "").strip()
    if not 2 <= len(label) <= 60:
        raise Invalid("请写明张贴位置（2到60个字）。", fields={"label": ["请填写2到60个字。"]})
    _printable(label)
    row.label = label
    db.session.flush()
    return row


def _printable(label: str) -> None:
    """Refuse a label the poster font cannot print, when it is typed rather than when it is printed."""
    from citizen.codes.posters import FontMissing, check_glyphs

    try:
        check_glyphs(label)
    except FontMissing as exc:
        if exc.code == "poster_font_unavailable":
            return  # no font on this machine: printing says so; registering a code still works
        raise Invalid(exc.message, fields={"label": [exc.message]}) from None


def revoke_code(row: QrCode) -> QrCode:
    """Withdraw a code for good: scanning it then says so."""
    if row.active:
        row.active = False
        row.revoked_at = clock.now()
        db.session.flush()
    return row


def target_url(row: QrCode) -> str:
    """Where a scan lands: the target's page (codes.targets), else the village home."""
    return targets.landing_url(row) or url_for("home.village_home", slug=row.village.slug)


def public_url(row: QrCode) -> str:
    """The URL printed in the QR code."""
    return f"{current_app.config['BASE_URL']}/q/{row.code}"


def record_scan(row: QrCode) -> None:
    """Count one scan for today (Shanghai date); an aggregate only, never who or from where."""
    counters.bump(QrScanDay, "scans", code_id=row.id, day=clock.local(clock.now()).date())


def scan_totals(code_ids: list[int], days: int = 30) -> dict[int, int]:
    """Scans per code over the last `days` days, for the management page."""
    if not code_ids:
        return {}
    since = clock.local(clock.now()).date() - timedelta(days=days)
    rows = db.session.execute(sa.select(QrScanDay.code_id, sa.func.sum(QrScanDay.scans)).where(
        QrScanDay.code_id.in_(code_ids), QrScanDay.day > since).group_by(QrScanDay.code_id))
    return {code_id: int(total) for code_id, total in rows}


def remember_scan(row: QrCode) -> None:
    """Tell the next page which code brought the villager, for a few minutes (a forged sticker shows)."""
    session[SCAN_KEY] = {"village": row.village.slug, "label": row.label,
                         "until": (clock.now() + timedelta(minutes=SCAN_MINUTES)).timestamp()}


def take_scan_label(village: Village) -> str | None:
    """The label of the code just scanned for this village, shown once."""
    scan = session.get(SCAN_KEY)
    if not scan:
        return None
    session.pop(SCAN_KEY, None)
    if scan.get("village") != village.slug or scan.get("until", 0) < clock.now().timestamp():
        return None
    return scan.get("label")


def take_any_scan() -> dict | None:
    """For pages other than the village home: {village, label} of the code just scanned, shown once."""
    scan = session.pop(SCAN_KEY, None) if SCAN_KEY in session else None
    if not scan or scan.get("until", 0) < clock.now().timestamp():
        return None
    village = find_village(scan.get("village"))
    return {"village": village.name, "label": scan.get("label")} if village else None


def village_codes(village: Village) -> sa.Select:
    """A village's codes, active first, newest first."""
    return sa.select(QrCode).where(QrCode.village_id == village.id).order_by(
        QrCode.active.desc(), QrCode.id.desc())
