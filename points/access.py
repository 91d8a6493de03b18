"""Who may pay, keep and manage a shop: the points area's rules in the accounts.authz registry."""
from accounts.authz import holds, rule
from accounts.models import User


def _shop_township_id(shop) -> int:
    """The township a shop belongs to (through its village)."""
    return shop.village.township_id


@rule("points.pay_shop")
def _pay_shop(user: User, shop) -> bool:
    """A villager pays in points only at shops of their own township."""
    return any(g.role == "villager" and g.village is not None
               and g.village.township_id == _shop_township_id(shop) for g in user.grants)


@rule("points.keep_shop")
def _keep_shop(user: User, shop) -> bool:
    """A shop keeper sees only their own shop's redemptions and statements."""
    return holds(user, "shopkeeper", shop_id=shop.id)


@rule("points.manage_shop")
def _manage_shop(user: User, shop) -> bool:
    """Township staff manage the shops of their own township."""
    return any(g.role == "township" and g.township_id == _shop_township_id(shop) for g in user.grants)


@rule("points.see_statement")
def _see_statement(user: User, statement) -> bool:
    """A statement is seen by its shop's keepers and its township's staff."""
    return _keep_shop(user, statement.shop) or _manage_shop(user, statement.shop)


@rule("points.attend_event")
def _attend_event(user: User, event) -> bool:
    """A meeting's check-in page is for the people of its township: its villages' people and its staff."""
    townships = {g.township_id for g in user.grants if g.township_id}
    townships |= {g.village.township_id for g in user.grants if g.village is not None}
    return event.township_id in townships


@rule("points.own_redemption")
def _own_redemption(user: User, redemption) -> bool:
    """A villager sees the confirmation page of their own redemption only."""
    return redemption.user_id == user.id


@rule("points.manage_redemption")
def _manage_redemption(user: User, redemption) -> bool:
    """Township staff reverse redemptions made at their township's shops."""
    return _manage_shop(user, redemption.shop)
