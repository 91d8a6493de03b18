"""The pieces every page form shares: what `posted()` hands a schema, and what a refusal shows."""
import io

from marshmallow import ValidationError
from wtforms import BooleanField, StringField, TextAreaField

from citizen.reports.forms import MessageForm
from citizen.reports.schemas import ReportInSchema
from errors import Conflict, Invalid
from webforms import PageForm, refusal


class _Form(PageForm):
    title = StringField("标题")
    body = TextAreaField("内容")
    public = BooleanField("公开")


def test_posted_keeps_inputs_as_typed_and_leaves_unsent_ones_out(app):
    """An empty input is '' (a schema says "too short"), an unsent one is absent (a schema says "missing")."""
    with app.test_request_context(method="POST", data={"title": "  水渠  ", "body": "", "other": "x"}):
        assert _Form().posted() == {"title": "  水渠  ", "body": ""}


def test_posted_leaves_files_out_and_the_file_field_holds_them(app):
    """Photos reach the view through the form's file field, never as text."""
    data = {"text": "补充", "photos": [(io.BytesIO(b"a"), "1.jpg"), (io.BytesIO(b"b"), "2.jpg")]}
    with app.test_request_context(method="POST", data=data, content_type="multipart/form-data"):
        form = MessageForm()
        assert form.posted() == {"text": "补充"}
        assert [f.filename for f in form.photos.data] == ["1.jpg", "2.jpg"]


def test_a_schema_refusal_is_422_with_the_messages_per_input(app):
    """The schema's messages are shown per input; no headline is added to them."""
    try:
        ReportInSchema().load({"category": "乱填", "content": "短"})
    except ValidationError as exc:
        refused = refusal(exc)
    assert refused.status == 422 and refused.from_schema
    assert set(refused.fields) == {"category", "content"}
    assert "请填写10到2000个字。" in refused.messages and refused.message not in refused.messages


def test_a_rule_refusal_keeps_its_status_and_says_its_message_first():
    """A domain error keeps its own status (409 here) and its message leads the list."""
    refused = refusal(Conflict("已经处理过了。"))
    assert (refused.status, refused.messages) == (409, ["已经处理过了。"])
    invalid = refusal(Invalid("请把模板填写完整。", fields={"title": ["请填写标题。"]}))
    assert (invalid.status, invalid.messages) == (422, ["请把模板填写完整。", "请填写标题。"])
