"""The page shell every template shares: versioned asset URLs, text size, tab bar and staff links."""
import hashlib
from pathlib import Path

from flask import Flask, current_app, request, url_for
from flask_login import current_user

TEXT_SIZE_COOKIE = "big"
VILLAGE_COOKIE = "village"

# Staff desks by role.
STAFF_LINKS = (
    ("committee", "村监会工作台", "triage.queue"),
    ("inspector", "镇纪委工作台", "triage.queue"),
    ("township", "全镇总览", "triage.township_overview"),
    ("inspector", "全镇总览", "triage.township_overview"),
    ("township", "二维码与海报", "codes.manage"),
    ("clerk", "二维码与海报", "codes.manage"),
    ("township", "商户与结算", "points.township_home"),
    ("township", "后台任务", "jobs.failed"),
    ("clerk", "三务公开发布", "disclosure.clerk_home"),
    ("shopkeeper", "本店收款", "points.shop_home"),
)


def init_app(app: Flask) -> None:
    """Expose the shell's helpers to every template."""
    app.extensions["asset_versions"] = {}
    app.jinja_env.globals["asset_url"] = asset_url

    @app.context_processor
    def _shell():
        return {
            "big_text": request.cookies.get(TEXT_SIZE_COOKIE) == "1",
            "staff_links": staff_links(),
            "tabs": tabs(),
        }


def asset_url(filename: str) -> str:
    """URL of a static file with a content hash, so WeChat's hard cache never serves a stale copy."""
    versions = current_app.extensions["asset_versions"]
    if filename not in versions:
        data = (Path(current_app.static_folder) / filename).read_bytes()
        versions[filename] = hashlib.sha256(data).hexdigest()[:10]
    return url_for("static", filename=filename, v=versions[filename])


def staff_links() -> list[tuple[str, str]]:
    """(label, url) of every desk the logged-in person may open."""
    if not current_user or not current_user.is_authenticated:
        return []
    roles = current_user.roles()
    links, seen = [], set()
    for role, label, endpoint in STAFF_LINKS:
        if role in roles and endpoint not in seen:
            seen.add(endpoint)
            links.append((label, url_for(endpoint)))
    return links


def tab_village() -> str | None:
    """The village the villager's tab bar points at: the one in the URL, else the last one visited."""
    slug = (request.view_args or {}).get("slug")
    return slug or request.cookies.get(VILLAGE_COOKIE)


def tabs() -> list[tuple[str, str, str, str]]:
    """The villager's bottom tab bar: (key, label, icon, url); a village tab goes home until a village is known."""
    slug = tab_village()
    home = url_for("home.village_home", slug=slug) if slug else url_for("home.index")

    def link(endpoint: str, **args) -> str:
        if args and not slug:
            return home
        return url_for(endpoint, **({"slug": slug} if args else {}))

    return [
        ("home", "首页", "⌂", home),
        ("open", "公开", "☰", link("disclosure.village_disclosures", slug=True)),
        ("report", "监督", "✎", link("reports.report_form", slug=True)),
        ("points", "积分", "★", link("points.my_points")),
        ("me", "我的", "☺", url_for("accounts.me")),
    ]
