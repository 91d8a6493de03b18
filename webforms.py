"""How a page handles a form: a thin FlaskForm declares the inputs, the schema and the domain say no.

docs/ARCHITECTURE.md, "How a page handles a form", gives the pattern every view follows; this module
holds the two pieces the views share: `PageForm`, the base of each area's form classes, and `refusal`,
which turns a schema's or a domain function's no into what the page shows again.
"""
from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from marshmallow import ValidationError
from wtforms import FileField  # the base of flask_wtf.file.FileField and MultipleFileField
from wtforms.csrf.core import CSRFTokenField

from errors import HTTP_MESSAGES, DomainError
from jsonapi import MAX_ID

# What a view catches around its domain call: the schema's no and the rules' no.
REFUSALS = (ValidationError, DomainError)


class PageForm(FlaskForm):
    """A page's form: the inputs its template posts, under their names; it checks nothing but the token.

    The rules are the area's marshmallow schema's (shared with the JSON twin) and its domain functions'.
    """

    def posted(self) -> dict[str, str]:
        """What was typed, as the text each sent input carried (files and the token left out).

        An input the browser did not send (an unticked box, a missing radio) is absent, as in
        `request.form.to_dict()`, so a schema tells "missing" from "empty".
        """
        return {f.name: f.raw_data[0] for f in self
                if f.raw_data and not isinstance(f, (FileField, CSRFTokenField))}

    def number(self, name: str) -> int | None:
        """An input's id ("12"), else None: a case or village picked by its id (row_id says which are ids)."""
        return row_id(self[name].data)


def row_id(text) -> int | None:
    """A stored row's id as a form sends it: digits only, 1 to the database's largest id; else None (no such row)."""
    text = str(text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


@dataclass
class Refusal:
    """Why a form was refused, ready for its page: a headline, the messages per input, the status."""

    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    status: int = 422
    extra: dict = field(default_factory=dict)
    from_schema: bool = False

    @property
    def messages(self) -> list[str]:
        """Every message, flat: the rule's headline first (a schema has none but the per-input ones)."""
        per_input = [m for msgs in self.fields.values() for m in msgs]
        return per_input if self.from_schema else [self.message] + per_input

    def named(self, form: FlaskForm) -> list[str]:
        """The messages, each of a schema's prefixed with its input's label ("张贴位置：请填写2到60个字。")."""
        if not self.from_schema:
            return self.messages
        return [f"{form[name].label.text}：{m}" if name in form else m
                for name, msgs in self.fields.items() for m in msgs]


def refusal(exc: ValidationError | DomainError) -> Refusal:
    """The Refusal a page shows for a schema's ValidationError or a rule's DomainError (with its status)."""
    if isinstance(exc, ValidationError):
        raw = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return Refusal(HTTP_MESSAGES[422][1], {k: _flat(v) for k, v in raw.items()}, 422, from_schema=True)
    return Refusal(exc.message, {k: _flat(v) for k, v in (exc.fields or {}).items()}, exc.status, exc.extra)


def _flat(messages) -> list[str]:
    """One input's messages as a list of strings (marshmallow nests lists and dicts)."""
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return [m for value in messages for m in _flat(value)]
