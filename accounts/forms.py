"""The accounts pages' forms: logging in, and the 大字 switch.

The login forms are the one place a page form checks something itself: a missing phone, password or
code is answered before the rate-limited check of the password or the text-message code.
"""
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from webforms import PageForm


class PasswordLoginForm(PageForm):
    """Staff, clerks, committee heads, inspectors and shop keepers log in with phone and password."""

    phone = StringField("手机号", validators=[DataRequired("请输入手机号。")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。")])
    next = HiddenField("登录后去")  # read by accounts.redirects.safe_next, which keeps it on this site


class PhoneForm(PageForm):
    """Step one of a villager's login: the phone number to text a code to."""

    phone = StringField("手机号", validators=[DataRequired("请输入手机号。")])
    next = HiddenField("登录后去")


class CodeForm(PageForm):
    """Step two: the 6-digit code from the text message."""

    phone = StringField("手机号", validators=[DataRequired("请输入手机号。")])
    code = StringField("验证码", validators=[DataRequired("请输入验证码。"),
                                          Length(6, 6, "验证码是6位数字。"),
                                          Regexp(r"^\d{6}$", message="验证码是6位数字。")])
    next = HiddenField("登录后去")


class TextSizeForm(PageForm):
    """大字 / 标准字, at the foot of every page."""

    big = HiddenField("大字")  # "1" big, "0" standard
    next = HiddenField("回到")
