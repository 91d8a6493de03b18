"""JSON login: password, SMS code, and the caller's own account."""

from accounts import otp
from accounts.login import authenticate, issue_token
from accounts.ratelimit import address_only_key, phone_key
from accounts.schemas import (LoginSchema, OwnUserSchema, SentSchema, SmsRequestSchema, SmsVerifySchema,
                              TokenSchema)
from extensions import db, limiter
from jsonapi import api_user, body, fails, json_object, needs_login, response


@limiter.limit("30 per minute", key_func=address_only_key)
@limiter.limit("10 per 10 minutes", key_func=phone_key)
@response(200, TokenSchema)
@body(LoginSchema)
@fails((401, "手机号或密码不对，或账号已停用（invalid_credentials）"), 429)
def login():
    """Phone + password → a bearer token."""
    data = LoginSchema().load(json_object())
    user = authenticate(data["phone"], data["password"])
    return {"token": issue_token(user), "user": user}


@limiter.limit("30 per hour", key_func=address_only_key)
@limiter.limit("1 per minute;5 per hour", key_func=phone_key)
@response(202, SentSchema)
@body(SmsRequestSchema)
@fails(429)
def send_sms_code():
    """Text a 6-digit login code to a villager's phone."""
    data = SmsRequestSchema().load(json_object())
    otp.send_code(data["phone"])
    db.session.commit()
    return {"sent": True}


@limiter.limit("20 per 10 minutes", key_func=phone_key)
@response(200, TokenSchema)
@body(SmsVerifySchema)
@fails((401, "验证码不对、过期或试错太多次（invalid_code）"), 429)
def verify_sms_code():
    """Phone + code → a bearer token (a first-time villager gets an account)."""
    data = SmsVerifySchema().load(json_object())
    try:
        user = otp.verify_code(data["phone"], data["code"])
    finally:
        db.session.commit()  # a wrong try is counted even though the request fails
    return {"token": issue_token(user), "user": user}


@response(200, OwnUserSchema)
@needs_login
def me():
    """The caller's own account."""
    return api_user()
