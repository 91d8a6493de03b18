"""After login or the text-size switch a browser goes only to a path on this site, whatever `next` says."""
from urllib.parse import unquote

import pytest

from accounts.redirects import is_local_path

NASTY = [
    "/\t/evil.example", "/%09/evil.example", "/%2509/evil.example", "/\n/evil.example", "/%0a/evil.example",
    "//evil.example", "///evil.example", "\\\\evil.example", "/\\evil.example", "\\/\\/evil.example",
    "/\\/evil.example", "/%5C/evil.example", "/%5c%5cevil.example", "/%2F/evil.example", "/%2f%2fevil.example",
    "%2F%2Fevil.example", "/%252F%252Fevil.example", "/\r\nLocation: https://evil.example",
    "/x\rSet-Cookie: a=1", "/%0d%0aSet-Cookie:%20a=1", "javascript:alert(1)", "JavaScript:alert(1)",
    "java\tscript:alert(1)", "https://evil.example/", "http:evil.example", "https:/evil.example",
    "//evil.example@qingxi.example", " /evil", "/\x00evil", "/ok\x7f", "evil.example", "",
    "/%25252525252F%25252525252Fevil.example",
]
GOOD = ["/v/hexi", "/v/hexi?tab=finance#top", "/t/AB12CD", "/v/河西", "/d/12?x=%E6%B2%B3"]


@pytest.mark.parametrize("target", NASTY)
def test_nasty_next_values_are_not_local(target):
    assert not is_local_path(target)


@pytest.mark.parametrize("target", GOOD)
def test_paths_on_this_site_are_local(target):
    assert is_local_path(target)


def _location(response) -> str:
    """Where a response sends the browser; a next= holding a NUL is refused before any redirect (webguard)."""
    if response.status_code == 422 and "无法保存的特殊字符" in response.get_data(as_text=True):
        return "/refused"
    assert response.status_code in (302, 303), response.status_code
    return response.headers["Location"]


def _lands(response, where: str) -> bool:
    """The response redirects to `where`, or refused the NUL-holding next= outright."""
    return _location(response) in (where, "/refused")


@pytest.mark.parametrize("target", NASTY)
def test_login_never_redirects_off_site(client, demo, target):
    response = client.post("/login", query_string={"next": target},
                           data={"phone": "13900000012", "password": "demo-committee"})
    assert _lands(response, "/staff")


@pytest.mark.parametrize("target", NASTY)
def test_text_size_switch_never_redirects_off_site(client, target):
    assert _lands(client.post("/prefs/text-size", data={"big": "1", "next": target}), "/")
    assert _lands(client.post("/prefs/text-size", query_string={"next": target}, data={"big": "0"}), "/")


@pytest.mark.parametrize("target", NASTY)
def test_code_login_carries_no_off_site_next(client, demo, target):
    from accounts.sms import sender

    sent = client.post("/login/sms", query_string={"next": target}, data={"phone": "13900000101"})
    assert "evil" not in _location(sent)
    if "\x00" in target:
        return  # refused before a code was sent (webguard), so there is nothing to verify
    code = sender().last_code_for("13900000101")
    verified = client.post("/login/sms/verify", query_string={"next": target},
                           data={"phone": "13900000101", "code": code})
    assert _location(verified) == "/v/hexi"


@pytest.mark.parametrize("target", GOOD)
def test_login_goes_to_a_path_on_this_site(client, demo, target):
    response = client.post("/login", query_string={"next": target},
                           data={"phone": "13900000012", "password": "demo-committee"})
    assert unquote(_location(response)) == unquote(target)
