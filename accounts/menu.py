"""Links other areas add to 我的: accounts imports no other area, so each registers its own (once)."""
_LINKS: list[tuple[str, str]] = []  # (label, endpoint)


def add_me_link(label: str, endpoint: str) -> None:
    """Let an area list one of its pages under 我的 (for logged-in people), after the built-in ones."""
    if (label, endpoint) not in _LINKS:
        _LINKS.append((label, endpoint))


def me_links() -> list[tuple[str, str]]:
    """The links other areas registered, in the order they did."""
    return list(_LINKS)
