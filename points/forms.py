"""The points pages' forms: the inputs each posts; the ledger, shops, rules and settlement check them."""
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField

from points.rules import SETTING_LIMITS
from webforms import PageForm


class PayForm(PageForm):
    """扫码用积分: how many points to pay the shop; the key makes a retried tap spend once."""

    key = HiddenField("付款编号")
    points = StringField("用多少积分")


class ClaimForm(PageForm):
    """领积分: the tracking code of an accepted anonymous report."""

    code = StringField("查询码")


class ShopForm(PageForm):
    """登记新商户."""

    name = StringField("店名")
    village_id = SelectField("村", validate_choice=False)
    address = StringField("地址")
    contact = StringField("联系人")


class ShopActiveForm(PageForm):
    """暂停 / 恢复 a shop: the state it goes to."""

    active = HiddenField("状态")  # "1" receives again, "0" suspended


class KeeperForm(PageForm):
    """A shop keeper's account."""

    name = StringField("姓名")
    phone = StringField("手机号")
    password = PasswordField("初始密码")


class RuleForm(PageForm):
    """One earn rule: points per time, daily and monthly caps, on or off."""

    points = StringField("每次")
    daily_cap = StringField("每天最多")
    monthly_cap = StringField("每月最多")
    enabled = BooleanField("开启")


class PointsSettingsForm(PageForm):
    """兑换比例、限额与预警门槛: each setting of SETTING_LIMITS."""


for _field, (_label, _low, _high) in SETTING_LIMITS.items():
    setattr(PointsSettingsForm, _field, StringField(_label))


class SettleForm(PageForm):
    """确认结算: the shop and the ended month."""

    shop_code = HiddenField("商户")
    month = HiddenField("月份")


class ReferenceForm(PageForm):
    """标记已付款: the bank transfer's reference."""

    reference = StringField("流水号")


class FixForm(PageForm):
    """撤销 / 更正 a wrong redemption: why."""

    reason = StringField("原因")


class EventForm(PageForm):
    """群众说事日: a meeting villagers check in at."""

    title = StringField("名称")
    village_id = SelectField("村", validate_choice=False)
    day = StringField("日期")  # the text of <input type="date">, parsed with start and end
    start = StringField("开始")
    end = StringField("结束")
