"""`$CODEX_HOME/.env`, read as Codex reads it: what it sets, and which proxies it imposes."""

from __future__ import annotations

from pathlib import Path

from codex_link.core.codex.dotenv import (
    codex_environment,
    parse_dotenv,
    proxy_entries,
    read_dotenv,
)
from codex_link.core.redact import redact_url


def test_parses_export_quotes_and_comments() -> None:
    pairs = parse_dotenv(
        "\ufeff# proxy for work\n"
        "export HTTPS_PROXY=http://proxy.corp:3128   # corporate\n"
        "HTTP_PROXY='http://a b:8080' \n"
        'ALL_PROXY="socks5h://127.0.0.1:1080"\n'
        'MULTI="line1\\nline2"\n'
        'SPLIT="first\nsecond"\n'
        "no equals sign here\n"
        "1BAD=x\n"
        "EMPTY=\n"
        "HASH=abc#not-a-comment\n",
        {},
    )
    assert dict(pairs) == {
        "HTTPS_PROXY": "http://proxy.corp:3128",
        "HTTP_PROXY": "http://a b:8080",
        "ALL_PROXY": "socks5h://127.0.0.1:1080",
        "MULTI": "line1\nline2",
        "SPLIT": "first\nsecond",
        "EMPTY": "",
        "HASH": "abc#not-a-comment",
    }


def test_an_unclosed_quote_takes_the_rest_of_the_file_with_it() -> None:
    """dotenvy's line reader looks for the closing quote up to the end of the file."""
    assert parse_dotenv("A=1\nB='open\nC=2\n", {}) == (("A", "1"),)
    assert parse_dotenv('A="open\nstill open"\nC=2\n', {}) == (
        ("A", "open\nstill open"),
        ("C", "2"),
    )


def test_lines_dotenvy_refuses_are_skipped() -> None:
    refused = [
        "A=two words",  # a blank ends an unquoted value; only a comment may follow
        'A="tab\\there"',  # \\t is no escape dotenvy knows
        "A=back\\slash",
        "A-B=1",  # a name is letters, digits, `_` and `.`
        ".A=1",
        "A",
        'A="$B"',  # the `"` that ends the name `B` is kept, so the quote never closes
        "A=${B",
    ]
    assert parse_dotenv("".join(line + "\n" for line in refused) + "OK=1\n", {}) == (("OK", "1"),)


def test_quotes_join_and_escape_as_in_dotenvy() -> None:
    pairs = parse_dotenv(
        "A=abc\"def\"'ghi'\n"
        "B='single \\ stays'\n"
        'C="q \\" \\$ \\\\ \\n"\n'
        "D=a\\ b\n"
        "export E = 'spaced'  # note\n"
        "export='named export'\n"
        "F.G=dot\n",
        {},
    )
    assert dict(pairs) == {
        "A": "abcdefghi",
        "B": "single \\ stays",
        "C": 'q " $ \\ \n',
        "D": "a b",
        "E": "spaced",
        "export": "named export",
        "F.G": "dot",
    }


def test_variables_expand_as_codex_expands_them() -> None:
    env = {"PORT": "3128", "HOST_NAME": "proxy.corp", "CODEX_HOME": "/env/home"}
    pairs = parse_dotenv(
        "A=http://${HOST_NAME}:$PORT\n"
        'B="${PORT}"\n'
        "C=$HOST_NAME\n"  # a bare name stops at `_`: $HOST, then "_NAME"
        "D='$PORT'\n"  # single quotes: literal
        "E=\\$PORT\n"
        "F=${MISSING}x\n"
        "PORT=1080\n"
        "G=$PORT\n"  # Codex has set PORT from the line above by now
        "CODEX_X=secret\n"
        "H=${CODEX_X}\n"  # never set in the environment, yet an earlier line
        "CODEX_HOME=/dotenv/home\n"
        "I=${CODEX_HOME}\n",  # the environment wins over an entry Codex did not apply
        env,
    )
    assert dict(pairs) == {
        "A": "http://proxy.corp:3128",
        "B": "3128",
        "C": "_NAME",
        "D": "$PORT",
        "E": "$PORT",
        "F": "x",
        "PORT": "1080",
        "G": "1080",
        "CODEX_X": "secret",
        "H": "secret",
        "CODEX_HOME": "/dotenv/home",
        "I": "/env/home",
    }


def test_a_bom_costs_the_first_line_and_bad_utf8_its_own_line(tmp_path: Path) -> None:
    """Codex calls `from_path_iter`, which (unlike dotenvy's `load`) keeps the BOM."""
    path = tmp_path / ".env"
    path.write_bytes(b"\xef\xbb\xbfA=1\nB=\xff\nC=3\n")
    assert read_dotenv(path, {}) == (("C", "3"),)


def test_the_last_line_may_not_end_in_a_blank_without_a_newline() -> None:
    assert parse_dotenv("A=1 \nB=2 ", {}) == (("A", "1"),)


def test_dotenv_values_replace_the_environment_but_never_codex_variables() -> None:
    """Codex 0.169 sets every .env entry over the process environment, except CODEX_*."""
    pairs = parse_dotenv("HTTPS_PROXY=http://127.0.0.1:9999\nCODEX_API_KEY=x\ncodex_home=/x\n", {})
    merged = codex_environment({"HTTPS_PROXY": "http://127.0.0.1:8888", "PATH": "/bin"}, pairs)
    assert merged["HTTPS_PROXY"] == "http://127.0.0.1:9999"
    assert merged["PATH"] == "/bin"
    assert "CODEX_API_KEY" not in merged
    assert "codex_home" not in merged


def test_only_proxy_variables_in_either_case_are_reported() -> None:
    pairs = parse_dotenv(
        "https_proxy=http://old:1\nHTTPS_PROXY=http://new:2\nno_proxy=localhost\n"
        "OPENAI_API_KEY=sk-secret\nWS_PROXY=http://x:3\n",
        {},
    )
    assert proxy_entries(pairs) == (
        ("https_proxy", "http://old:1"),
        ("HTTPS_PROXY", "http://new:2"),
        ("no_proxy", "localhost"),
    )


def test_passwords_are_redacted() -> None:
    assert redact_url("http://user:s3cret@proxy.corp:3128") == "http://***@proxy.corp:3128"
    assert redact_url("socks5://token@10.0.0.1:1080/") == "socks5://***@10.0.0.1:1080/"
    assert redact_url("user:pw@proxy:8080") == "***@proxy:8080"
    assert redact_url("http://proxy.corp:3128") == "http://proxy.corp:3128"
    assert redact_url("localhost,127.0.0.1") == "localhost,127.0.0.1"


def test_missing_file_has_no_entries(tmp_path: Path) -> None:
    assert read_dotenv(tmp_path / ".env") == ()
    (tmp_path / ".env").write_bytes(b"HTTPS_PROXY=http://p:1\r\nNO_PROXY=x\r\n")
    assert read_dotenv(tmp_path / ".env") == (("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", "x"))
