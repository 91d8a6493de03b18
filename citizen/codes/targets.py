"""What a code may point at: for each kind, how to check a target, where a scan lands, what the form offers.

The disclosure area's kinds are here; the points area adds `shop` and `event` when it connects
(points.hooks), so the codes never import the points area.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from accounts.models import Village
from citizen.codes.models import QrCode
from disclosure import lookup
from jsonapi import MAX_ID


@dataclass(frozen=True)
class Target:
    """One kind of target: `exists(village, id)`, `url(code)` (None: the village home), `choices(village)`."""

    exists: Callable[[Village, int], bool]
    url: Callable[[QrCode], str | None]
    choices: Callable[[Village], list[tuple[str, str]]]


TARGETS: dict[str, Target] = {}


def add_target(kind: str, target: Target) -> None:
    """Let an area offer a kind of target (registering the same kind again replaces it)."""
    TARGETS[kind] = target


def target_exists(village: Village, kind: str, target_id: int | None) -> bool:
    """Does the target exist in this village?"""
    if not isinstance(target_id, int) or not 0 < target_id <= MAX_ID or kind not in TARGETS:
        return False
    return TARGETS[kind].exists(village, target_id)


def landing_url(row: QrCode) -> str | None:
    """Where a scan of this code lands, or None for the village home."""
    return TARGETS[row.kind].url(row) if row.kind in TARGETS else None


def choices(kinds: tuple[str, ...], village: Village) -> list[tuple[str, str]]:
    """The create form's options for these kinds, in this order."""
    return [option for kind in kinds if kind in TARGETS for option in TARGETS[kind].choices(village)]


def _exists(kind: str) -> Callable[[Village, int], bool]:
    """A disclosure-area kind's existence check."""
    return lambda village, target_id: lookup.belongs_to(village, kind, target_id)


add_target("disclosure", Target(
    _exists("disclosure"), lambda row: url_for("disclosure.disclosure_detail", id=row.target_id),
    lambda village: [("disclosure", "公开事项（填编号）")]))
add_target("power_item", Target(
    _exists("power_item"), lambda row: url_for("disclosure.powers", slug=row.village.slug) + f"#item-{row.target_id}",
    lambda village: [("power_item", "权力清单事项（填编号）")]))
add_target("cadre", Target(
    _exists("cadre"), lambda row: url_for("disclosure.cadres", slug=row.village.slug) + f"#cadre-{row.target_id}",
    lambda village: [(f"cadre:{c.id}", f"干部名片：{c.name}") for c in lookup.namable_cadres(village)]))
