"""WTForms of the codes pages: the photo of a code for 扫一扫 outside WeChat."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class ScanForm(FlaskForm):
    """One photo of a printed code, straight from the phone's camera."""

    photo = FileField("拍二维码", validators=[FileRequired("请先拍一张二维码的照片。")])
