"""The partner shops a village home lists: the points area adds its source (points.hooks), so home never imports it."""
from collections.abc import Callable

from accounts.models import Village

ShopSource = Callable[[Village], list[dict]]
_SOURCES: list[ShopSource] = []


def add_shop_source(source: ShopSource) -> None:
    """Let an area list shops on the village home; each dict has name, address and url (added once)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def partner_shops(village: Village) -> list[dict]:
    """Every listed shop of the village."""
    return [shop for source in _SOURCES for shop in source(village)]
