"""The township's reply templates: the answers a desk can pick and edit when it replies."""
from accounts.models import Township
from citizen.triage.models import ReplyTemplate
from errors import Invalid, NotFound
from extensions import db
from webforms import row_id


def save_template(township: Township, values: dict) -> None:
    """Create, update or delete (`delete` = "1") one reply template of this township. Flushes, never commits."""
    template_id = row_id(values.get("id"))
    row = None
    if template_id:
        row = db.session.get(ReplyTemplate, template_id)
        if row is None or row.township_id != township.id:
            raise NotFound()
        if values.get("delete") == "1":
            db.session.delete(row)
            return
    title, body = (values.get("title") or "").strip(), (values.get("body") or "").strip()
    fields = {}
    if not title or len(title) > 40:
        fields["title"] = ["请填写标题（最多40个字）。"]
    if not body or len(body) > 2000:
        fields["body"] = ["请填写答复内容（最多2000个字）。"]
    if fields:
        raise Invalid("请把模板的标题和内容填写完整。", fields=fields)
    if row is None:
        row = ReplyTemplate(township_id=township.id)
        db.session.add(row)
    row.title, row.body = title, body
    db.session.flush()


