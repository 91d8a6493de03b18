"""What every role may do on every route: the table the route matrix (test_route_matrix.py) holds the app to.

One entry per endpoint of `app.url_map`: an `Access`, or a dict of them by method, or a list of them
when one route serves objects of different kinds (a published disclosure and a draft). A route added
without an entry here fails the matrix. An entry says who may use the route on objects of their own
place (`who`), who also on another place's (`foreign`), and the path arguments and harmless body that
make the request: "{key}" is filled with the place's object of that name (tests/isolation/world.py),
so the same entry runs once in the role's own scope and once in a foreign one.

Everyone else gets 404 on a route that names an object (out of scope is never "forbidden", and never
someone else's data), 403 or 404 on one that names none; the visitor who is not logged in is sent to
log in, or answered 401 by the API (`anonymous` says otherwise where a route answers visitors differently).
Those allowed get 2xx/3xx on a read, and anything but 401/403/404/5xx on a write (the harmless body may
well be refused as invalid: 422 is an answer, 404 is not).

A new route: add one line below. If its path or form names a kind of object no place has yet, build one
per place in world.py `furnish()` and put its id under a new name in the place's values.
"""
from dataclasses import dataclass, field

# The roles of the matrix (tests/isolation/matrix.py gives each one an own and a foreign place).
VILLAGERS = ("villager", "villager_chama", "villager_far")
COMMITTEES = ("committee", "committee_chama")
DESK = COMMITTEES + ("inspector",)
STAFF = ("township", "township_far")
OVERSEERS = STAFF + ("inspector",)
CLERKS = ("clerk",) + STAFF
KEEPERS = ("shopkeeper", "shopkeeper_far")
MODERATORS = COMMITTEES + OVERSEERS
TOWNSHIP_PEOPLE = VILLAGERS + COMMITTEES + CLERKS + ("inspector",)


@dataclass(frozen=True)
class Access:
    """Who may use a route, and how to ask it."""

    who: str | tuple = ()  # "everyone", "users" (anyone logged in), or the roles allowed in their own scope
    foreign: tuple = ()  # roles also allowed on another place's object
    anonymous: str = "login"  # what a visitor gets when not in `who`: login, missing (404) or ok
    args: dict = field(default_factory=dict)  # path arguments beyond DEFAULT_ARGS
    query: dict = field(default_factory=dict)
    form: dict | None = None  # the harmless body of a page's write
    json: dict | None = None  # the harmless body of an API write
    headers: dict = field(default_factory=dict)
    answers: tuple = ()  # statuses that count as an answer for those allowed (a wrong code's 401)


def everyone(**how) -> Access:
    """Public: any visitor, on any place's object."""
    return Access(who="everyone", **how)


def users(**how) -> Access:
    """Anyone logged in, whatever their role and place (the route names nothing scoped)."""
    return Access(who="users", **how)


def only(*roles, **how) -> Access:
    """These roles, on their own place's objects."""
    return Access(who=roles, **how)


# Path arguments every route with that argument gets, unless its entry says otherwise.
DEFAULT_ARGS = {"slug": "{slug}", "settlement_id": "{settlement}", "redemption_id": "{redemption}",
                "event_id": "{event}", "photo_id": "{photo}", "attachment_id": "{attachment}", "line_id": "{line}",
                "report_id": "{report}", "fmt": "png", "kind": "csv", "key": "finance_read", "month": "2020-01",
                "filename": "css/app.css"}
NO_WECHAT = only(anonymous="missing")  # WeChat login is off unless an app id is configured: 404 for all
DRAFT = {"id": "{draft}"}
PUBLISHED = {"id": "{disclosure}"}
PAY = {"Idempotency-Key": "matrix-key"}

ACCESS: dict = {
    # accounts
    "accounts.login": {"GET": everyone(), "POST": everyone(form={"phone": "13900000101", "password": "demo-villager"})},
    "accounts.login_sms": {"GET": everyone(), "POST": everyone(form={"phone": "13900000101"})},
    "accounts.login_sms_verify": {"GET": everyone(query={"phone": "13900000101"}),
                                  "POST": everyone(form={"phone": "13900000101", "code": "000000"}, answers=(401,))},
    "accounts.login_wechat": NO_WECHAT,
    "accounts.login_wechat_callback": NO_WECHAT,
    "accounts.logout": everyone(form={}),
    "accounts.dev_outbox": everyone(),
    "accounts.text_size": everyone(form={"big": "1"}),
    "accounts.me": everyone(),
    "accounts.staff_home": users(),
    "accounts_api.login": everyone(json={"phone": "13900000101", "password": "demo-villager"}),
    "accounts_api.send_sms_code": everyone(json={"phone": "13900000101"}),
    "accounts_api.verify_sms_code": everyone(json={"phone": "13900000101", "code": "000000"}, answers=(401,)),
    "accounts_api.me": users(),
    "api-docs.openapi_json": everyone(),
    "static": everyone(),
    # villagers' pages: public, on any village
    "home.index": everyone(),
    "home.village_home": everyone(),
    "home_api.village": everyone(),
    "disclosure.village_disclosures": everyone(),
    # a draft is nobody's on the public page (its clerk reads it on the preview), a manager's in the API
    "disclosure.disclosure_detail": [everyone(args=PUBLISHED), only(anonymous="missing", args=DRAFT)],
    "disclosure.attachment_file": [everyone(args=PUBLISHED), only(*CLERKS, anonymous="missing", args={
        **DRAFT, "attachment_id": "{draft_attachment}"})],
    "disclosure.cadre_photo": everyone(args={"id": "{cadre}"}),
    "disclosure.powers": everyone(),
    "disclosure.cadres": everyone(),
    "disclosure_api.list_disclosures": everyone(),
    "disclosure_api.get_disclosure": [everyone(args=PUBLISHED), only(*CLERKS, anonymous="missing", args=DRAFT)],
    "disclosure_api.list_powers": everyone(),
    "disclosure_api.list_cadres": everyone(),
    "wall.wall": everyone(),
    "wall_api.village_wall": everyone(),
    "wall.flag": {"GET": everyone(args={"report_id": "{wall_report}"}),
                  "POST": everyone(args={"report_id": "{wall_report}"}, form={"reason": ""})},
    "wall_api.flag_wall_entry": everyone(args={"report_id": "{wall_report}"}, json={"reason": ""}),
    "codes.scan": everyone(args={"code": "{qr}"}),
    "codes_api.scanned_code": everyone(args={"code": "{qr}"}),
    "points_api.shops": everyone(query={"village": "{slug}"}),
    # reporting, and following a case by its tracking code (the code is the key, whoever holds it)
    "reports.report_form": {"GET": everyone(), "POST": everyone(form={"content": ""})},
    "reports.report_done": everyone(),
    "reports_api.submit": everyone(json={"content": ""}),
    "reports.track": {"GET": everyone(), "POST": everyone(form={"code": "{tracking}"})},
    "reports.track_code": everyone(args={"code": "{tracking}"}),
    "reports.track_message": everyone(args={"code": "{tracking}"}, form={"text": ""}),
    "reports.track_rating": everyone(args={"code": "{tracking}"}, form={"rating": ""}),
    "reports.track_appeal": everyone(args={"code": "{tracking}"}, form={"reason": ""}),
    "reports_api.track": everyone(args={"code": "{tracking}"}),
    "reports_api.add_message": everyone(args={"code": "{tracking}"}, json={"text": ""}),
    "reports_api.rate": everyone(args={"code": "{tracking}"}, json={"rating": ""}),
    "reports_api.appeal": everyone(args={"code": "{tracking}"}, json={"reason": ""}),
    # a private report's photo: its reporter and its handlers; a visitor without the tracked code gets 404
    "reports.photo": only("villager", "villager_chama", "villager_far", *COMMITTEES, anonymous="missing"),
    # a named reporter's own reports
    "reports.my_reports": users(),
    "reports_api.my_reports": users(),
    "reports_api.issue_client": everyone(),
    "reports_api.report_token": everyone(answers=(422,)),  # without X-Client-Id or a browser id: 422 says how
    "reports.my_report": only(*VILLAGERS),
    "reports.my_report_message": only(*VILLAGERS, form={"text": ""}),
    "reports.my_report_rating": only(*VILLAGERS, form={"rating": ""}),
    "reports.my_report_appeal": only(*VILLAGERS, form={"reason": ""}),
    # the desks
    "triage.queue": only(*DESK),
    "triage.sent_up": only(*DESK),
    "triage.case": only(*COMMITTEES, args={"id": "{report}"}),
    "triage.act": only(*COMMITTEES, args={"id": "{report}"}, form={"action": "message", "text": ""}),
    "triage.notifications": only(*DESK),
    "triage.read_notifications": only(*DESK, form={}),
    "triage_api.desk_reports": only(*DESK),
    "triage_api.desk_report": only(*COMMITTEES),
    "triage_api.desk_action": only(*COMMITTEES, json={"action": "message", "text": ""}),
    "triage_api.my_notifications": only(*DESK, *STAFF),
    "triage_api.reply_templates": only(*DESK),
    "wall.moderation": only(*MODERATORS),
    "wall.moderate": only(*MODERATORS, args={"report_id": "{wall_report}"}, form={"action": "hide", "reason": ""}),
    "wall_api.moderate_wall_entry": only(*MODERATORS, args={"report_id": "{wall_report}"},
                                         json={"action": "hide", "reason": ""}),
    # the township's overview and settings
    "triage.township_overview": only(*OVERSEERS),
    "triage.township_export": only(*OVERSEERS),
    "triage.village_trend": only(*OVERSEERS),
    "triage.reply_templates": {"GET": only(*STAFF), "POST": only(*STAFF, form={"id": "{template}", "title": ""})},
    "codes.scan_page": {"GET": everyone(), "POST": everyone(form={})},  # 扫一扫 by photo outside WeChat
    "notify.preferences": {"GET": users(), "POST": users(form={"channel": "x"})},
    "notify.unsubscribe": users(form={"kind": "x"}),
    "notify_api.js_config": NO_WECHAT,  # without an official account configured: 404 for all
    "notify_api.subscribe": users(json={"kinds": []}),
    "privacy.notice": everyone(),
    "privacy.village_notice": everyone(),
    "privacy.settings": {"GET": only(*STAFF), "POST": only(*STAFF, form={"closed_case_days": "x"})},
    "jobs.failed": only(*STAFF),
    "jobs.retry": only(*STAFF, args={"failure_id": "{failure}"}, form={}),
    "jobs.dismiss": only(*STAFF, args={"failure_id": "{failure}"}, form={}),
    "triage.township_settings": {"GET": only(*STAFF), "POST": only(*STAFF, form={"finance_stale_days": "x"})},
    "triage_api.township_villages": only(*OVERSEERS),
    # the clerk's desk
    "disclosure.clerk_home": only(*CLERKS, query={"v": "{slug}"}),
    "disclosure.clerk_template": only(*CLERKS, query={"v": "{slug}"}),
    "disclosure.clerk_create": only(*CLERKS, form={}),
    "disclosure.preview": only(*CLERKS, args=DRAFT),
    "disclosure.clerk_edit": only(*CLERKS, args=DRAFT),
    "disclosure.clerk_update": only(*CLERKS, args=DRAFT, form={}),
    "disclosure.clerk_import": only(*CLERKS, args=DRAFT, form={}),
    "disclosure.clerk_add_line": only(*CLERKS, args=DRAFT, form={}),
    "disclosure.clerk_line": {"GET": only(*CLERKS, args=DRAFT), "POST": only(*CLERKS, args=DRAFT, form={})},
    "disclosure.clerk_remove_line": only(*CLERKS, args=DRAFT, form={}),
    "disclosure.clerk_attach": only(*CLERKS, args=DRAFT, form={}),
    "disclosure.clerk_detach": only(*CLERKS, args={**DRAFT, "attachment_id": "{draft_attachment}"}, form={}),
    "disclosure.clerk_publish": only(*CLERKS, args=DRAFT, form={}),
    "disclosure.clerk_discard": only(*CLERKS, args=DRAFT, form={}),
    "disclosure.clerk_correct": only(*CLERKS, args=PUBLISHED, form={}),
    "disclosure.clerk_withdraw": only(*CLERKS, args=PUBLISHED, form={}),
    "disclosure.clerk_powers": {"GET": only(*CLERKS), "POST": only(*CLERKS, form={})},
    "disclosure.clerk_power_item": {"GET": only(*CLERKS, args={"id": "{power_item}"}),
                                    "POST": only(*CLERKS, args={"id": "{power_item}"}, form={})},
    "disclosure.clerk_hide_power_item": only(*CLERKS, args={"id": "{power_item}"}, form={}),
    "disclosure.clerk_cadres": {"GET": only(*CLERKS), "POST": only(*CLERKS, form={})},
    "disclosure.clerk_cadre": {"GET": only(*CLERKS, args={"id": "{cadre}"}),
                               "POST": only(*CLERKS, args={"id": "{cadre}"}, form={})},
    "disclosure.clerk_cadre_photo": only(*CLERKS, args={"id": "{cadre}"}, form={}),
    "disclosure.clerk_retire_cadre": only(*CLERKS, args={"id": "{cadre}"}, form={}),
    "disclosure.clerk_categories": {"GET": only(*CLERKS), "POST": only(*CLERKS, form={})},
    "disclosure_api.post_disclosure": only(*CLERKS, json={}),
    "disclosure_api.import_disclosure_lines": only(*CLERKS, args=DRAFT, json={}),
    "disclosure_api.publish_disclosure": only(*CLERKS, args=DRAFT, json={}),
    "disclosure_api.open_correction": only(*CLERKS, args=PUBLISHED, json={}),
    "disclosure_api.withdraw_disclosure": only(*CLERKS, args=PUBLISHED, json={}),
    # codes and posters
    "codes.manage": {"GET": only(*CLERKS, query={"village": "{slug}"}),
                     "POST": only(*CLERKS, form={"village": "{slug}", "target": "disclosure",
                                                 "target_id": "{disclosure}", "label": ""})},
    "codes.relabel": only(*STAFF, args={"code": "{qr}"}, form={"label": ""}),
    "codes.revoke": only(*STAFF, args={"code": "{qr}"}, form={}),
    "codes.poster": only(*CLERKS, args={"code": "{qr}"}),
    "codes.village_posters": only(*CLERKS),
    "codes_api.village_codes": only(*CLERKS),
    "codes_api.create_code": only(*CLERKS, json={"kind": "disclosure", "target_id": "{disclosure}", "label": ""}),
    "codes_api.revoke_code": only(*STAFF, args={"code": "{qr}"}, json={}),
    "codes_api.code_poster": only(*CLERKS, args={"code": "{qr}"}),
    # points: villagers
    "points.my_points": users(),
    "points_api.my_points": users(),
    "points.redeem": {"GET": only(*VILLAGERS, anonymous="ok", args={"code": "{shop}"}),
                      "POST": only(*VILLAGERS, args={"code": "{shop}"}, form={"points": "", "key": "matrix"})},
    "points.redeem_done": only(*VILLAGERS, args={"code": "{shop}"}),
    "points_api.create_redemption": only(*VILLAGERS, args={"code": "{shop}"}, json={"points": 0}, headers=PAY),
    # a meeting is for its township's people: the other village's committee or clerk is still at home there
    "points.event_checkin": {"GET": only(*TOWNSHIP_PEOPLE, foreign=COMMITTEES + ("clerk",), anonymous="ok"),
                             "POST": only(*TOWNSHIP_PEOPLE, foreign=COMMITTEES + ("clerk",), form={})},
    # claims go by tracking code, a key whoever holds it: another township's code answers 409 not_local
    "points.claim": {"GET": users(), "POST": users(form={"code": "{tracking}"})},
    "points_api.create_claim": users(json={"tracking_code": "{tracking}"}),
    # points: shop keepers
    "points.shop_home": only(*KEEPERS, query={"shop": "{shop}"}),
    "points.shop_feed": only(*KEEPERS, query={"shop": "{shop}"}),
    "points_api.shop_redemptions": only(*KEEPERS),
    "points.statement": only(*KEEPERS, *STAFF),
    "points.statement_xlsx": only(*KEEPERS, *STAFF),
    # points: township staff
    "points.township_home": only(*STAFF),
    "points.month_summary": only(*STAFF),
    "points.enrol": only(*STAFF, form={"village_id": "{village_id}", "name": ""}),
    "points.event": only(*STAFF, form={"village_id": "{village_id}", "title": ""}),
    "points.township_shop": only(*STAFF, args={"code": "{shop}"}),
    "points.shop_active": only(*STAFF, args={"code": "{shop}"}, form={"active": "1"}),
    "points.shop_keeper": only(*STAFF, args={"code": "{shop}"}, form={}),
    "points.rule": only(*STAFF, form={}),
    "points.settings": only(*STAFF, form={}),
    "points.settle": only(*STAFF, form={"shop_code": "{shop}", "month": "bad"}),
    "points.paid": only(*STAFF, form={}),
    "points.reverse": only(*STAFF, form={}),
    "points.correct": only(*STAFF, form={}),
    "points_api.create_settlement": only(*STAFF, json={"shop_code": "{shop}", "month": "bad"}),
    "points_api.settlement_paid": only(*STAFF, json={}),
    "points_api.settlement_xlsx": only(*STAFF),
    "points_api.reverse": only(*STAFF, json={}),
}


def cases(endpoint: str, method: str) -> list[Access]:
    """The table's entries for one route and method (none when the table has no entry)."""
    entry = ACCESS.get(endpoint)
    if isinstance(entry, dict):
        entry = entry.get(method)
    if entry is None:
        return []
    return entry if isinstance(entry, list) else [entry]
