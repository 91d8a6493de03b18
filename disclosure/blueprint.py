"""URL table of the disclosure area: the villagers' pages, the clerk's desk, and the JSON routes."""
from flask import Blueprint

from disclosure import access, api, clerk_views, setup_views, views
from jsonapi import api_blueprint

# access: importing it registers the area's @rule checks in accounts.authz
bp = Blueprint("disclosure", __name__)
bp.add_url_rule("/v/<slug>/disclosures", "village_disclosures", views.village_disclosures, methods=["GET"])
bp.add_url_rule("/d/<int:id>", "disclosure_detail", views.disclosure_detail, methods=["GET"])
bp.add_url_rule("/clerk/d/<int:id>/preview", "preview", views.preview, methods=["GET"])
bp.add_url_rule("/d/<int:id>/files/<int:attachment_id>", "attachment_file", views.attachment_file, methods=["GET"])
bp.add_url_rule("/cadres/<int:id>/photo", "cadre_photo", views.cadre_photo, methods=["GET"])
bp.add_url_rule("/v/<slug>/powers", "powers", views.powers, methods=["GET"])
bp.add_url_rule("/v/<slug>/cadres", "cadres", views.cadres, methods=["GET"])
bp.add_url_rule("/clerk", "clerk_home", clerk_views.clerk_home, methods=["GET"])
bp.add_url_rule("/clerk/v/<slug>/disclosures", "clerk_create", clerk_views.clerk_create, methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>", "clerk_edit", clerk_views.clerk_edit, methods=["GET"])
bp.add_url_rule("/clerk/d/<int:id>/meta", "clerk_update", clerk_views.clerk_update, methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/import", "clerk_import", clerk_views.clerk_import, methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/lines", "clerk_add_line", clerk_views.clerk_add_line, methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/lines/<int:line_id>", "clerk_line", clerk_views.clerk_line,
                methods=["GET", "POST"])
bp.add_url_rule("/clerk/d/<int:id>/lines/<int:line_id>/delete", "clerk_remove_line", clerk_views.clerk_remove_line,
                methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/attachments", "clerk_attach", clerk_views.clerk_attach, methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/attachments/<int:attachment_id>/delete", "clerk_detach", clerk_views.clerk_detach,
                methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/publish", "clerk_publish", clerk_views.clerk_publish, methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/correct", "clerk_correct", clerk_views.clerk_correct, methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/withdraw", "clerk_withdraw", clerk_views.clerk_withdraw, methods=["POST"])
bp.add_url_rule("/clerk/d/<int:id>/discard", "clerk_discard", clerk_views.clerk_discard, methods=["POST"])
bp.add_url_rule("/clerk/template.<any(xlsx, csv):kind>", "clerk_template", clerk_views.clerk_template,
                methods=["GET"])
bp.add_url_rule("/clerk/v/<slug>/powers", "clerk_powers", setup_views.clerk_powers, methods=["GET", "POST"])
bp.add_url_rule("/clerk/powers/<int:id>", "clerk_power_item", setup_views.clerk_power_item,
                methods=["GET", "POST"])
bp.add_url_rule("/clerk/powers/<int:id>/hide", "clerk_hide_power_item", setup_views.clerk_hide_power_item,
                methods=["POST"])
bp.add_url_rule("/clerk/v/<slug>/cadres", "clerk_cadres", setup_views.clerk_cadres, methods=["GET", "POST"])
bp.add_url_rule("/clerk/cadres/<int:id>", "clerk_cadre", setup_views.clerk_cadre, methods=["GET", "POST"])
bp.add_url_rule("/clerk/cadres/<int:id>/photo", "clerk_cadre_photo", setup_views.clerk_cadre_photo,
                methods=["POST"])
bp.add_url_rule("/clerk/cadres/<int:id>/retire", "clerk_retire_cadre", setup_views.clerk_retire_cadre,
                methods=["POST"])
bp.add_url_rule("/clerk/v/<slug>/categories", "clerk_categories", setup_views.clerk_categories,
                methods=["GET", "POST"])

api_bp = api_blueprint("disclosure_api", "三务公开、小微权力清单、清廉印象")
api_bp.add_url_rule("/villages/<slug>/disclosures", "list_disclosures", api.list_disclosures, methods=["GET"])
api_bp.add_url_rule("/disclosures/<int:id>", "get_disclosure", api.get_disclosure, methods=["GET"])
api_bp.add_url_rule("/villages/<slug>/disclosures", "post_disclosure", api.post_disclosure, methods=["POST"])
api_bp.add_url_rule("/disclosures/<int:id>/lines/import", "import_disclosure_lines", api.import_disclosure_lines,
                    methods=["POST"])
api_bp.add_url_rule("/disclosures/<int:id>/publish", "publish_disclosure", api.publish_disclosure,
                    methods=["POST"])
api_bp.add_url_rule("/disclosures/<int:id>/corrections", "open_correction", api.open_correction, methods=["POST"])
api_bp.add_url_rule("/disclosures/<int:id>/withdraw", "withdraw_disclosure", api.withdraw_disclosure,
                    methods=["POST"])
api_bp.add_url_rule("/villages/<slug>/powers", "list_powers", api.list_powers, methods=["GET"])
api_bp.add_url_rule("/villages/<slug>/cadres", "list_cadres", api.list_cadres, methods=["GET"])
