"""Where a villager starts: every township's villages, and a village's home with its three big entries."""
from flask import render_template, url_for

from accounts.authz import village_by_slug
from accounts.places import all_townships
from citizen.codes import qrcodes
from citizen.home.partners import partner_shops
from disclosure.freshness import freshness_warning


def index():
    """Every township with its villages: where a villager starts without a code."""
    townships = all_townships()
    return render_template("citizen/index.html", townships=townships)


def village_home(slug: str):
    """A village's home: 三务公开, 一键监督, 回音壁; after a scan, the code's posting place."""
    village = village_by_slug(slug)
    # The page sets no cookie itself (app.js remembers the village for the tab bar), so every visitor
    # without a session gets the same page and nginx's short cache can answer for it.
    return render_template("citizen/village.html", village=village, entries=village_entries(village),
                           scan_label=qrcodes.take_scan_label(village), freshness_warning=freshness_warning(village),
                           shops=partner_shops(village))


def village_entries(village) -> list[dict]:
    """The big entries of a village home."""
    return [
        {"title": "三务公开", "desc": "党务、村务、财务，一笔一笔看清楚",
         "url": url_for("disclosure.village_disclosures", slug=village.slug), "icon": "公"},
        {"title": "一键监督", "desc": "发现问题，实名或匿名反映", "url": url_for("reports.report_form", slug=village.slug),
         "icon": "督"},
        {"title": "回音壁", "desc": "看看大家反映的事怎么答复的", "url": url_for("wall.wall", slug=village.slug), "icon": "答"},
    ]
