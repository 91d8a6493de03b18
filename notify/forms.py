"""WTForms of the notify pages: the channel a person hears on, and stopping one kind of WeChat message."""
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from notify.models import CHANNELS, STEPS
from notify.preferences import CHANNEL_NAMES
from webforms import PageForm


class ChannelForm(PageForm):
    """微信消息, 短信 or 不接收."""

    channel = RadioField("怎么接收办理进展", choices=[SelectChoice(c, CHANNEL_NAMES[c]) for c in CHANNELS],
                         validators=[DataRequired("请选择微信消息、短信或不接收。")],
                         validate_choice=False)  # notify.preferences.choose_channel says it in Chinese


class UnsubscribeForm(PageForm):
    """Stop one kind of WeChat message (WeChat's own dialog is needed to start it again)."""

    kind = HiddenField(validators=[DataRequired("请选择要停止的消息。")])

    def validate_kind(self, field) -> None:
        """Only the kinds a message can be."""
        from wtforms.validators import ValidationError

        if field.data not in STEPS:
            raise ValidationError("不认识的消息类型。")
