"""The route fix's .env edits: our lines in, exactly our lines out, every other byte kept.

Round trips over many `.env` shapes (hypothesis): line ends, BOM, final newline or none,
comments, `export `, quotes, lines Codex skips (not UTF-8, refused, an unclosed quote), a
proxy line the user set before, and user edits between "on" and "off".
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codex_link.core.codex.dotenv import (
    applied_entries,
    dotenv_lines,
    parse_dotenv_bytes,
)
from codex_link.core.codex.route_fix.dotenv_edit import MARKER, plan_off, plan_on, render

PROXY = "http://127.0.0.1:7890"
SOCKS = "socks5h://127.0.0.1:1080"
NO_PROXY = "localhost,127.0.0.1,::1"
BOM = "\ufeff".encode()

LINES = [
    b"# my settings",
    b"",
    b"   ",
    b"export OPENAI_LOG=debug",
    b"A=1",
    b"B='single quoted # not a comment'",
    b'C="double \\" quoted"',
    b"  D = spaced   # trailing comment",
    b"E=",
    b"F=two words",  # dotenvy refuses it: skipped
    b"\xff\xfe=not utf-8",  # skipped
    b"HTTPS_PROXY=http://old.example:3128",
    b"export HTTPS_PROXY='http://u:pw@old.example:3128' # work",
    b"https_proxy=http://lower.example:8080",
    b"HTTP_PROXY=http://plain.example:80",
    b"NO_PROXY=.corp.example",
    b"no_proxy=.lower.example",
    b"G=$A-expanded",
    b'H="multi',  # with the next one: a quote over two lines
    b'line"',
    b"CODEX_HOME=/ignored",
]

shapes = st.builds(
    lambda lines, newline, bom, final: (
        (BOM if bom else b"") + newline.join(lines) + (newline if final and lines else b"")
    ),
    st.lists(st.sampled_from(LINES), max_size=8),
    st.sampled_from([b"\n", b"\r\n"]),
    st.booleans(),
    st.booleans(),
)
routes = st.sampled_from([(("HTTPS_PROXY",), PROXY), (("HTTP_PROXY",), SOCKS)])


def applied(raw: bytes) -> dict[str, str]:
    return applied_entries(parse_dotenv_bytes(raw, {}))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shapes, routes)
def test_on_then_off_gives_back_the_exact_bytes(
    original: bytes, route: tuple[tuple[str, ...], str]
) -> None:
    variables, url = route
    on = plan_on(original, variables, url, NO_PROXY)
    if on is None:  # the file already routes there: nothing to do
        assert applied(original)[variables[0]] == url
        return
    after = applied(on.after)
    assert after[variables[0]] == url  # what Codex reads now
    assert any(key.upper() == "NO_PROXY" for key in after)
    before = applied(original)
    for key, value in before.items():  # nothing else moved (but `$A` expansions)
        if key not in (*variables, "NO_PROXY", "G"):
            assert after[key] == value, key
    off = plan_off(on.after, on.changes, on.block)
    assert off.after == original
    assert not off.kept


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shapes, routes, st.sampled_from([b"\n", b"\r\n"]))
def test_user_lines_added_since_stay(
    original: bytes, route: tuple[tuple[str, ...], str], newline: bytes
) -> None:
    variables, url = route
    on = plan_on(original, variables, url, NO_PROXY)
    if on is None:
        return
    head = BOM if original.startswith(BOM) else b""
    mine = b"USER_ADDED=1" + newline
    edited = head + mine + on.after[len(head) :]
    off = plan_off(edited, on.changes, on.block)
    assert off.after == head + mine + original[len(head) :]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shapes, routes)
def test_an_editor_that_rewrites_line_ends_still_lets_off_find_our_lines(
    original: bytes, route: tuple[tuple[str, ...], str]
) -> None:
    variables, url = route
    on = plan_on(original, variables, url, NO_PROXY)
    if on is None:
        return
    rewritten = on.after.replace(b"\r\n", b"\n")
    off = plan_off(rewritten, on.changes, on.block)
    assert applied(off.after) == applied(original.replace(b"\r\n", b"\n"))
    assert MARKER.encode() not in off.after


def test_a_proxy_line_the_user_set_is_replaced_in_place_and_put_back() -> None:
    original = b"A=1\r\nexport HTTPS_PROXY='http://old:3128'   # work\r\nB=2\r\n"
    on = plan_on(original, ("HTTPS_PROXY",), PROXY, NO_PROXY)
    assert on is not None
    assert on.after.startswith(
        b"A=1\r\nexport HTTPS_PROXY='http://127.0.0.1:7890'   # work\r\nB=2\r\n"
    )
    [replaced, added] = on.changes
    assert replaced.old == "export HTTPS_PROXY='http://old:3128'   "
    assert (added.name, added.old) == ("NO_PROXY", None)
    assert plan_off(on.after, on.changes, on.block).after == original


def test_a_value_the_user_changed_since_is_theirs() -> None:
    on = plan_on(b"A=1\n", ("HTTPS_PROXY",), PROXY, NO_PROXY)
    assert on is not None
    edited = on.after.replace(PROXY.encode(), b"http://10.0.0.1:3128")
    off = plan_off(edited, on.changes, on.block)
    assert [change.name for change in off.kept] == ["HTTPS_PROXY"]
    assert [change.name for change in off.undone] == ["NO_PROXY"]
    assert applied(off.after) == {"A": "1", "HTTPS_PROXY": "http://10.0.0.1:3128"}


def test_a_requoted_line_of_ours_is_still_ours() -> None:
    on = plan_on(b"A=1\n", ("HTTPS_PROXY",), PROXY, NO_PROXY)
    assert on is not None
    edited = on.after.replace(
        f"HTTPS_PROXY={PROXY}".encode(), f'export HTTPS_PROXY="{PROXY}"'.encode()
    )
    off = plan_off(edited, on.changes, on.block)
    assert off.after == b"A=1\n" and not off.kept


def test_no_proxy_of_the_user_in_any_case_is_left_alone() -> None:
    on = plan_on(b"no_proxy=.corp\n", ("HTTPS_PROXY",), PROXY, NO_PROXY)
    assert on is not None
    assert [change.name for change in on.changes] == ["HTTPS_PROXY"]


def test_lines_go_before_a_quote_left_open_at_the_end() -> None:
    """dotenvy reads an unclosed quote to the end of the file: a line after it is lost."""
    original = b"A=1\nB='never closed\nC=3\n"
    on = plan_on(original, ("HTTPS_PROXY",), PROXY, NO_PROXY)
    assert on is not None
    assert applied(on.after) == {"A": "1", "HTTPS_PROXY": PROXY, "NO_PROXY": NO_PROXY}
    assert on.after.endswith(b"B='never closed\nC=3\n")
    assert plan_off(on.after, on.changes, on.block).after == original


def test_values_that_need_quotes_read_back_as_written() -> None:
    for value in ["http://u:p$ss@h:1", 'http://u:"q"@h:1', "http://h:1/a b", "http://u:it's@h"]:
        for like in ["", "'x'", '"x"']:
            line = f"V={render(value, like)}\n".encode()
            assert applied(line) == {"V": value}, (value, like)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_the_line_reader_accounts_for_every_byte_in_order(raw: bytes) -> None:
    lines = list(dotenv_lines(raw))
    assert [line.start for line in lines[1:]] == [line.end for line in lines[:-1]]
    assert (lines[0].start if lines else 0) == 0
    assert (lines[-1].end if lines else 0) == len(raw)
