"""URL table of the points area: the villager's, the shop keeper's and the township's pages, and the JSON routes."""
from flask import Blueprint

from jsonapi import api_blueprint
from points import access, api, claim_views, hooks, shop_views, township_views, views

# access: importing it registers the area's @rule checks in accounts.authz
bp = Blueprint("points", __name__)
bp.record_once(lambda state: hooks.connect())  # earn rules follow the reports' and disclosures' signals
bp.add_url_rule("/me/points", "my_points", views.my_points, methods=["GET"])
bp.add_url_rule("/pay/<code>", "redeem", views.redeem, methods=["GET", "POST"])
bp.add_url_rule("/pay/<code>/ok/<int:redemption_id>", "redeem_done", views.redeem_done, methods=["GET"])
bp.add_url_rule("/e/<int:event_id>", "event_checkin", views.event_checkin, methods=["GET", "POST"])
bp.add_url_rule("/me/points/claim", "claim", claim_views.claim, methods=["GET", "POST"])
bp.add_url_rule("/shop", "shop_home", shop_views.shop_home, methods=["GET"])
bp.add_url_rule("/shop/feed.json", "shop_feed", shop_views.shop_feed, methods=["GET"])
bp.add_url_rule("/points/statements/<int:settlement_id>", "statement", shop_views.statement, methods=["GET"])
bp.add_url_rule("/points/statements/<int:settlement_id>.xlsx", "statement_xlsx", shop_views.statement_xlsx_download,
                methods=["GET"])
bp.add_url_rule("/township/points", "township_home", township_views.township_home, methods=["GET"])
bp.add_url_rule("/township/points/shops", "enrol", township_views.enrol, methods=["POST"])
bp.add_url_rule("/township/points/shops/<code>", "township_shop", township_views.township_shop, methods=["GET"])
bp.add_url_rule("/township/points/shops/<code>/active", "shop_active", township_views.shop_active,
                methods=["POST"])
bp.add_url_rule("/township/points/shops/<code>/keepers", "shop_keeper", township_views.shop_keeper,
                methods=["POST"])
bp.add_url_rule("/township/points/rules/<key>", "rule", township_views.rule, methods=["POST"])
bp.add_url_rule("/township/points/settings", "settings", township_views.settings, methods=["POST"])
bp.add_url_rule("/township/points/settlements", "settle", township_views.settle, methods=["POST"])
bp.add_url_rule("/points/statements/<int:settlement_id>/paid", "paid", shop_views.paid, methods=["POST"])
bp.add_url_rule("/township/points/redemptions/<int:redemption_id>/reverse", "reverse", township_views.reverse,
                methods=["POST"])
bp.add_url_rule("/township/points/redemptions/<int:redemption_id>/correct", "correct", township_views.correct,
                methods=["POST"])
bp.add_url_rule("/township/points/summary-<month>.xlsx", "month_summary", township_views.month_summary,
                methods=["GET"])
bp.add_url_rule("/township/points/events", "event", township_views.event, methods=["POST"])

api_bp = api_blueprint("points_api", "积分、商户与结算")
api_bp.add_url_rule("/me/points", "my_points", api.my_points, methods=["GET"])
api_bp.add_url_rule("/shops", "shops", api.shops, methods=["GET"])
api_bp.add_url_rule("/shops/<code>/redemptions", "create_redemption", api.create_redemption, methods=["POST"])
api_bp.add_url_rule("/me/points/claims", "create_claim", api.create_claim, methods=["POST"])
api_bp.add_url_rule("/shop/redemptions", "shop_redemptions", api.shop_redemptions, methods=["GET"])
api_bp.add_url_rule("/township/settlements", "create_settlement", api.create_settlement, methods=["POST"])
api_bp.add_url_rule("/township/settlements/<int:settlement_id>/paid", "settlement_paid", api.settlement_paid,
                    methods=["POST"])
api_bp.add_url_rule("/township/settlements/<int:settlement_id>.xlsx", "settlement_xlsx", api.settlement_xlsx,
                    methods=["GET"])
api_bp.add_url_rule("/township/redemptions/<int:redemption_id>/reverse", "reverse", api.reverse, methods=["POST"])
