"""WTForms of the privacy area: the township's retention periods (the domain checks the ranges)."""
from wtforms import StringField

from webforms import PageForm


class RetentionForm(PageForm):
    """How many days each kind of record is kept."""

    closed_case_days = StringField("已办结的反映（含记录）保存天数")
    photo_days = StringField("已办结反映的照片保存天数")
    code_days = StringField("短信验证码记录保存天数")
    counter_days = StringField("浏览、扫码次数保存天数")
