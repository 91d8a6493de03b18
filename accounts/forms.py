"""WTForms for logging in."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp


class PasswordLoginForm(FlaskForm):
    """Staff, clerks, committee heads, inspectors and shop keepers log in with phone and password."""

    phone = StringField("手机号", validators=[DataRequired("请输入手机号。")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。")])


class PhoneForm(FlaskForm):
    """Step one of a villager's login: the phone number to text a code to."""

    phone = StringField("手机号", validators=[DataRequired("请输入手机号。")])


class CodeForm(FlaskForm):
    """Step two: the 6-digit code from the text message."""

    phone = StringField("手机号", validators=[DataRequired("请输入手机号。")])
    code = StringField("验证码", validators=[DataRequired("请输入验证码。"),
                                          Length(6, 6, "验证码是6位数字。"),
                                          Regexp(r"^\d{6}$", message="验证码是6位数字。")])
