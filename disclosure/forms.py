"""The clerk's desk forms: the inputs each posts; publishing, importing, powers and cadres check them.

Dates post as the text of an `<input type="date">` (2026-10-03): the domain parses them, so they are
text fields here, not WTForms' DateField with its English messages.
"""
from flask_wtf.file import FileField
from wtforms import BooleanField, ButtonField, SelectField, StringField, TextAreaField

from webforms import PageForm


class NewDisclosureForm(PageForm):
    """新建公开: a new draft, or one published at once (党务、村务)."""

    category = SelectField("类别", validate_choice=False)
    mode = SelectField("公开方式", validate_choice=False)
    title = StringField("标题")
    period = StringField("期间")
    body = TextAreaField("正文")
    publish = ButtonField("保存并立即公开")


class DraftForm(PageForm):
    """The draft's title, mode (before its first publication), period and body."""

    mode = SelectField("公开方式", validate_choice=False)
    title = StringField("标题")
    period = StringField("期间")
    body = TextAreaField("正文")


class LineForm(PageForm):
    """One finance line, added by hand or changed."""

    date = StringField("日期")
    direction = SelectField("收支", validate_choice=False)
    amount = StringField("金额（元）")
    category = SelectField("类别", validate_choice=False)
    text = StringField("摘要")
    counterparty = StringField("对方")
    voucher = StringField("凭证号")


class UploadForm(PageForm):
    """One file: a spreadsheet to import, an attachment, a cadre's photo."""

    file = FileField("选择文件")


class ReasonForm(PageForm):
    """Publishing a correction or withdrawing: the reason villagers will read."""

    reason = TextAreaField("原因")


class PowerItemForm(PageForm):
    """One item of the power list and its steps (one per line)."""

    title = StringField("事项名称")
    responsible = StringField("责任岗位")
    steps = TextAreaField("办理步骤")
    must_disclose = TextAreaField("必须公开的内容")


class CadreForm(PageForm):
    """A cadre's profile on 清廉印象."""

    name = StringField("姓名")
    post = StringField("职务")
    secretary_chair = BooleanField("书记兼主任（“一肩挑”）")
    committee = BooleanField("村务监督委员会成员")
    duties = TextAreaField("责任清单")
    pledge = TextAreaField("廉洁承诺")
    pledge_date = StringField("承诺日期")
    office_hours = StringField("办公时间和地点")
    office_phone = StringField("办公电话")

    def profile(self) -> dict:
        """The profile as save_cadre reads it: an unticked box is absent from a form, so it says False."""
        return {**self.posted(), "secretary_chair": self.secretary_chair.data, "committee": self.committee.data}


class CategoriesForm(PageForm):
    """The village's finance categories, one per line."""

    categories = TextAreaField("收支类别")
