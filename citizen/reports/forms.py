"""The report pages' forms: the inputs each posts; ReportInSchema and the lifecycle check them."""
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField

from webforms import PageForm


class ReportForm(PageForm):
    """一键监督: a new report (checked by ReportInSchema, as the API's)."""

    form_token = HiddenField("表单编号")  # a retry of the same form files once
    subject = HiddenField("反映的是")  # "line:12", from the link the villager followed
    category = RadioField("什么方面的问题", validate_choice=False)
    content = TextAreaField("说一说情况")
    photos = MultipleFileField("照片")
    cadre_id = SelectField("涉及哪位干部", validate_choice=False)
    anonymous = RadioField("实名还是匿名", validate_choice=False)  # "1" anonymous, "0" named
    allow_public = BooleanField("答复后允许在回音壁公开")


class TrackForm(PageForm):
    """查进展: the tracking code."""

    code = StringField("查询码")


class MessageForm(PageForm):
    """The reporter adds information or photos (MessageInSchema)."""

    text = TextAreaField("补充情况 / 回答提问")
    photos = MultipleFileField("加照片")


class RatingForm(PageForm):
    """The reporter rates the reply (RatingInSchema)."""

    rating = RadioField("对答复满意吗", validate_choice=False)
    comment = TextAreaField("想说的话")


class AppealForm(PageForm):
    """The reporter asks the township to review a rejection (AppealInSchema)."""

    reason = TextAreaField("为什么应该受理")
