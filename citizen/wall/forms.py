"""The wall pages' forms: the inputs each posts; citizen.wall.entries checks them."""
from wtforms import ButtonField, RadioField, TextAreaField

from webforms import PageForm


class FlagForm(PageForm):
    """Anyone's objection to a wall entry."""

    reason = RadioField("原因", validate_choice=False)  # untrue / privacy / other
    text = TextAreaField("简单说明")


class ModerateForm(PageForm):
    """A moderator hides, restores, or keeps an entry and closes its flags."""

    reason = TextAreaField("理由")
    action = ButtonField("操作")  # the button pressed: hide / restore / dismiss
