"""The desks' and the township's forms: the inputs each posts; the lifecycle and the settings rules check them."""
from wtforms import BooleanField, ButtonField, HiddenField, RadioField, StringField, TextAreaField

from citizen.reports.deadlines import SETTING_LIMITS
from webforms import PageForm

STALE_LABEL = "财务超过多少天未公开算“不及时”（黄色）"


class ActionForm(PageForm):
    """One action on a case (accept, reject, answer, message, escalate, take over, duplicate)."""

    action = HiddenField("操作")
    text = TextAreaField("内容")
    public_text = TextAreaField("公开的内容")
    publish = BooleanField("上回音壁公开")
    publish_photos = BooleanField("照片也公开")
    main_id = StringField("与哪一件重复")


class ReplyTemplateForm(PageForm):
    """Add, edit or delete one of the township's reply templates."""

    id = HiddenField("模板")  # absent when adding one
    title = StringField("标题")
    body = TextAreaField("内容")
    delete = ButtonField("删除")


class SettingsForm(PageForm):
    """期限与预警设置: the township's deadlines and thresholds, and when finance counts as late."""

    finance_stale_days = StringField(STALE_LABEL)
    deadline_mode = RadioField("期限按什么日子算", choices=[("calendar", "自然日"), ("working", "工作日")],
                               validate_choice=False)


for _key, (_label, _low, _high) in SETTING_LIMITS.items():
    setattr(SettingsForm, _key, StringField(_label))
