"""Every HTML form posts only inputs its form class declares, and every class's inputs are posted somewhere.

A view hands its domain function `form.posted()`, which holds only the declared inputs: an input added
to a template but not to its class would silently never arrive. The templates' hand-written inputs are
read here and compared with the classes of each area's forms.py.
"""
import re
from functools import cache
from pathlib import Path

import pytest

from accounts import forms as accounts
from citizen.codes import forms as codes
from citizen.reports import forms as reports
from citizen.triage import forms as triage
from citizen.wall import forms as wall
from disclosure import forms as disclosure
from points import forms as points
from notify import forms as notify
from privacy import forms as privacy

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Each form by where it posts (the endpoint in its action, else the template posting to itself), and its class.
# A form that is only a button posts nothing but its token and has no class.
FORMS = {
    "accounts.logout": None, "accounts.text_size": accounts.TextSizeForm,
    "accounts/login.html": accounts.PasswordLoginForm, "accounts/login_sms.html": accounts.PhoneForm,
    "accounts/login_sms_verify.html": accounts.CodeForm,
    "reports.report_form": reports.ReportForm, "reports.track": reports.TrackForm,
    "urls.appeal": reports.AppealForm, "urls.rating": reports.RatingForm, "urls.message": reports.MessageForm,
    "codes.manage": codes.CodeForm, "r.relabel": codes.RelabelForm, "r.revoke": None,
    "triage.act": triage.ActionForm, "triage/templates.html": triage.ReplyTemplateForm,
    "triage/settings.html": triage.SettingsForm, "triage.read_notifications": None,
    "wall/flag.html": wall.FlagForm, "wall.moderate": wall.ModerateForm,
    "disclosure.clerk_create": disclosure.NewDisclosureForm, "disclosure.clerk_update": disclosure.DraftForm,
    "disclosure.clerk_import": disclosure.UploadForm, "disclosure.clerk_attach": disclosure.UploadForm,
    "disclosure.clerk_cadre_photo": disclosure.UploadForm, "disclosure.clerk_add_line": disclosure.LineForm,
    "disclosure.clerk_line": disclosure.LineForm, "disclosure.clerk_publish": disclosure.ReasonForm,
    "disclosure.clerk_withdraw": disclosure.ReasonForm, "disclosure.clerk_powers": disclosure.PowerItemForm,
    "disclosure.clerk_power_item": disclosure.PowerItemForm, "disclosure.clerk_cadres": disclosure.CadreForm,
    "disclosure.clerk_cadre": disclosure.CadreForm, "disclosure.clerk_categories": disclosure.CategoriesForm,
    "disclosure.clerk_detach": None, "disclosure.clerk_remove_line": None, "disclosure.clerk_discard": None,
    "disclosure.clerk_correct": None, "disclosure.clerk_retire_cadre": None, "disclosure.clerk_hide_power_item": None,
    "points.redeem": points.PayForm, "points.claim": points.ClaimForm, "points/event.html": None,
    "points.enrol": points.ShopForm, "points.shop_active": points.ShopActiveForm, "points.shop_keeper": points.KeeperForm,
    "points.rule": points.RuleForm, "points.settings": points.PointsSettingsForm, "points.settle": points.SettleForm,
    "points.paid": points.ReferenceForm, "points.reverse": points.FixForm, "points.correct": points.FixForm,
    "points.event": points.EventForm,
    "privacy/settings.html": privacy.RetentionForm,
    "jobs.retry": None, "jobs.dismiss": None,
    "notify.preferences": notify.ChannelForm, "notify.unsubscribe": notify.UnsubscribeForm,
    "citizen/scan.html": codes.ScanForm,
}
# Pages whose inputs are named from a settings table in a loop: their classes are built from the same table.
LOOPED = {"points.settings", "triage/settings.html", "privacy/settings.html"}
NOT_A_FORM_OF_ITS_OWN = {"errors/resubmit.html"}  # posts back whatever the refused form held


def _expanded(path: Path) -> str:
    """A template's text with its includes pasted in."""
    return re.sub(r'{%\s*include\s+"([^"]+)"\s*%}', lambda m: _expanded(TEMPLATES / m.group(1)), path.read_text())


@cache
def posted_forms() -> dict[str, set[str]]:
    """Every POST form of the templates: where it posts, and the names of the inputs it sends."""
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", _expanded(path), re.S):
            attributes, body = form.groups()
            if 'method="post"' not in attributes or name in NOT_A_FORM_OF_ITS_OWN:
                continue
            action = re.search(r"action=\"{{\s*(?:url_for\('([\w.]+)'|([\w.]+))", attributes)
            key = (action.group(1) or action.group(2)) if action else name
            inputs = set(re.findall(r'<(?:input|textarea|select|button)\b[^>]*\bname="([^"{]+)"', body))
            inputs |= set(re.findall(r"field\(form\.(\w+)", body))  # accounts/ macros render the field by name
            inputs |= set(re.findall(r"for \w+ in form\.(\w+)\s*%}", body))  # a radio group rendered by WTForms
            found.setdefault(key, set()).update(inputs - {"csrf_token"})
    return found


def test_every_form_of_the_site_has_its_class_or_is_a_button():
    """A new form with inputs gets a class in its area's forms.py (docs/ARCHITECTURE.md, "How a page handles a form")."""
    forms = posted_forms()
    assert set(forms) == set(FORMS), "map each new form to its class (or None for a button) here"
    assert not {key for key, inputs in forms.items() if FORMS[key] is None and inputs}


@pytest.mark.parametrize("key", sorted(key for key, cls in FORMS.items() if cls))
def test_each_form_posts_exactly_the_inputs_its_class_declares(app, key):
    """Names kept as the templates post them: nothing undeclared is dropped, nothing declared is never sent."""
    with app.test_request_context():
        declared = {field.name for field in FORMS[key](meta={"csrf": False})}
    sent = set().union(*(inputs for k, inputs in posted_forms().items() if FORMS.get(k) is FORMS[key]))
    assert posted_forms()[key] <= declared
    if key not in LOOPED:
        assert declared <= sent
