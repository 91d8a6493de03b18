"""Villagers choose WeChat, SMS or nothing; WeChat consents are recorded, spent and revoked."""
import pytest
import sqlalchemy as sa

from errors import Invalid
from notify.models import WeChatSubscription
from notify.preferences import channel_of, choose_channel
from notify.subscriptions import kinds_of, revoke, subscribe, unsubscribe, usable, use_one


def test_until_they_choose_wechat_users_hear_by_wechat_and_others_hear_nothing(session, people):
    villager = people["villager"]
    assert channel_of(villager) == "none"
    villager.wechat_openid = "oChoiceOpenid0123456789abcdef"
    assert channel_of(villager) == "wechat"


def test_a_choice_is_kept_and_can_change(session, people):
    villager = people["villager"]
    choose_channel(villager, "sms")
    assert channel_of(villager) == "sms"
    choose_channel(villager, "none")
    assert channel_of(villager) == "none"


@pytest.mark.parametrize("channel", ["email", "", None])
def test_an_unknown_channel_is_refused_with_a_message(session, people, channel):
    with pytest.raises(Invalid) as refused:
        choose_channel(people["villager"], channel)
    assert "请选择微信消息、短信或不接收" in refused.value.message


def test_wechat_needs_a_wechat_login_first(session, people):
    with pytest.raises(Invalid) as refused:
        choose_channel(people["villager"], "wechat")
    assert "先在微信里打开本站" in refused.value.message


def test_each_one_time_consent_allows_one_message(session, people):
    villager = people["villager"]
    villager.wechat_openid = "oChoiceOpenid0123456789abcdef"
    subscribe(villager, ["answered"])
    subscribe(villager, ["answered"])  # tapped "allow" twice: two messages
    use_one(villager.id, "answered")
    assert usable(villager.id, "answered") is not None
    use_one(villager.id, "answered")
    assert usable(villager.id, "answered") is None and kinds_of(villager) == {"answered": "used"}


def test_a_long_term_consent_is_never_spent(session, people):
    villager = people["villager"]
    villager.wechat_openid = "oChoiceOpenid0123456789abcdef"
    subscribe(villager, ["accepted"], long_term=True)
    for _ in range(3):
        use_one(villager.id, "accepted")
    assert usable(villager.id, "accepted") is not None


def test_revoked_or_unsubscribed_kinds_send_nothing_until_subscribed_again(session, people):
    villager = people["villager"]
    villager.wechat_openid = "oChoiceOpenid0123456789abcdef"
    subscribe(villager, ["accepted", "answered"])
    revoke(villager.id, "accepted")
    assert unsubscribe(villager, ["answered"]) == 1
    session.expire_all()
    assert usable(villager.id, "accepted") is None and usable(villager.id, "answered") is None
    subscribe(villager, ["accepted"])
    assert usable(villager.id, "accepted").remaining == 1


def test_subscribing_needs_wechat_and_known_kinds(session, people):
    villager = people["villager"]
    with pytest.raises(Invalid):
        subscribe(villager, ["accepted"])
    villager.wechat_openid = "oChoiceOpenid0123456789abcdef"
    with pytest.raises(Invalid):
        subscribe(villager, ["lottery"])
    assert session.scalar(sa.select(sa.func.count()).select_from(WeChatSubscription)) == 0
