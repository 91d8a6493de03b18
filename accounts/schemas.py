"""JSON shapes of the accounts area, named by audience."""
from marshmallow import fields

from jsonapi import ApiSchema, length

# What accounts.phones.normalize_phone accepts (it also drops spaces and dashes), for the document.
PHONE = {"pattern": r"^(\+86|0086|86)?1[3-9][0-9]{9}$", "description": "11位手机号，可带 +86", "example": "13900000101"}


class LoginSchema(ApiSchema):
    """What a client sends to log in with a password."""

    phone = fields.String(required=True, validate=length(1, 20), metadata=PHONE)
    password = fields.String(required=True, validate=length(1, 200))


class SmsRequestSchema(ApiSchema):
    """Ask for a login code by text message."""

    phone = fields.String(required=True, validate=length(1, 20), metadata=PHONE)


class SmsVerifySchema(ApiSchema):
    """Log in with the code from the text message."""

    phone = fields.String(required=True, validate=length(1, 20), metadata=PHONE)
    code = fields.String(required=True, validate=length(6, 6))


class SentSchema(ApiSchema):
    """The login code is on its way."""

    sent = fields.Boolean()


class PlaceSchema(ApiSchema):
    """A village or township as others see it."""

    slug = fields.String()
    name = fields.String()


class OwnUserSchema(ApiSchema):
    """A person's own account, as returned at login."""

    id = fields.Integer()
    name = fields.String()
    roles = fields.Method("_roles")
    village = fields.Method("_village")
    township = fields.Method("_township")

    def _roles(self, user):
        return sorted(user.roles())

    def _village(self, user):
        from accounts.authz import home_village

        village = home_village(user)
        return PlaceSchema().dump(village) if village else None

    def _township(self, user):
        from accounts.authz import home_township

        township = home_township(user)
        return PlaceSchema().dump(township) if township else None


class TokenSchema(ApiSchema):
    """A bearer token and whose it is."""

    token = fields.String()
    user = fields.Nested(OwnUserSchema)
