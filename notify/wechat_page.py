"""What a page needs for WeChat's JS-SDK inside WeChat: the SDK, our wechat.js, the signature endpoint, and
optionally a share card or the subscribe button. Only the pages that call `wechat_tags()` load the SDK, and
only their Content-Security-Policy admits its host (webguard.admit_script_host). Every page works without.

A share card goes on disclosures and the wall, never on track or report pages (their links can carry a
code). The subscribe button (wx-open-subscribe) lists the template ids of the kinds a person may subscribe.
"""
import json
import urllib.parse

from flask import current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

import webguard
from notify import wechat_jssdk
from notify.models import REPORTER_STEPS, STAFF_STEPS

STAFF_ROLES = {"committee", "inspector"}


def in_wechat() -> bool:
    """Is the page opened inside WeChat's browser (the SDK works nowhere else)?"""
    return "MicroMessenger" in (request.user_agent.string or "")


def usable() -> bool:
    """The SDK can work here: an official account is configured and the page is inside WeChat."""
    return wechat_jssdk.enabled() and in_wechat()


def _absolute(path: str) -> str:
    """A URL of this site as WeChat wants it in a share card."""
    return current_app.config["BASE_URL"] + path


def wechat_tags(share: dict | None = None) -> Markup:
    """The SDK's and our script tags (with the signature endpoint), and the share card when given; '' outside WeChat.

    `share`: title, desc and optionally image (a static file name); the card links the page itself.
    """
    if not usable():
        return Markup("")
    from shell import asset_url

    sdk = current_app.config["WECHAT_JSSDK_URL"]
    parts = urllib.parse.urlsplit(sdk)
    webguard.admit_script_host(f"{parts.scheme}://{parts.netloc}")
    tags = [f'<meta name="wx-config" content="{escape(url_for("notify_api.js_config"))}" '
            f'data-base="{escape(current_app.config["BASE_URL"])}">']
    if share:
        card = {"title": share["title"][:60], "desc": (share.get("desc") or "")[:120],
                "link": _absolute(request.full_path.rstrip("?")),
                "image": _absolute(asset_url(share.get("image") or "img/share.png"))}
        tags.append('<meta name="wx-share" ' + " ".join(f'data-{k}="{escape(v)}"' for k, v in card.items()) + ">")
    tags.append(f'<script src="{escape(sdk)}" defer></script>')
    tags.append(f'<script src="{escape(asset_url("js/wechat.js"))}" defer></script>')
    return Markup("\n".join(tags))


def subscribable_kinds(user) -> list[str]:
    """The kinds this person may ask WeChat for: every reporter step, and the staff kinds for handlers."""
    kinds = list(REPORTER_STEPS)
    if user is not None and user.roles() & STAFF_ROLES:
        kinds += list(STAFF_STEPS)
    return kinds


def subscribe_offer(kinds: list[str] | None = None) -> dict | None:
    """The subscribe button's values for the logged-in WeChat user, or None when it cannot be offered here."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is None or not user.wechat_openid or not usable():
        return None
    config = current_app.config
    templates = {config[f"WECHAT_TEMPLATE_{kind.upper()}"]: kind
                 for kind in (kinds or subscribable_kinds(user)) if config.get(f"WECHAT_TEMPLATE_{kind.upper()}")}
    if not templates:
        return None
    return {"templates": ",".join(templates), "kinds": json.dumps(templates, ensure_ascii=False),
            "url": url_for("notify_api.subscribe")}
