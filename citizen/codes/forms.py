"""The codes pages' forms: the code desk (CodeInSchema and RelabelSchema check them, as the API's), and 扫一扫 by photo."""
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField

from webforms import PageForm


class CodeForm(PageForm):
    """A new code: what it points at and where it will be posted."""

    target = SelectField("指向", validate_choice=False)  # "village", "cadre:5", or a kind with `target_id`
    target_id = StringField("编号")
    label = StringField("张贴位置")


class RelabelForm(PageForm):
    """Where a code is posted now."""

    label = StringField("张贴位置")


class ScanForm(PageForm):
    """One photo of a printed code, straight from the phone's camera."""

    photo = FileField("拍二维码", validators=[FileRequired("请先拍一张二维码的照片。")])
