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
        "HASH=abc#not-a-comment\n"
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


def test_unterminated_quote_is_skipped_not_fatal() -> None:
    assert parse_dotenv("A='open\nB=2\n") == (("B", "2"),)


def test_dotenv_values_replace_the_environment_but_never_codex_variables() -> None:
    """Codex 0.169 sets every .env entry over the process environment, except CODEX_*."""
    pairs = parse_dotenv("HTTPS_PROXY=http://127.0.0.1:9999\nCODEX_API_KEY=x\ncodex_home=/x\n")
    merged = codex_environment({"HTTPS_PROXY": "http://127.0.0.1:8888", "PATH": "/bin"}, pairs)
    assert merged["HTTPS_PROXY"] == "http://127.0.0.1:9999"
    assert merged["PATH"] == "/bin"
    assert "CODEX_API_KEY" not in merged
    assert "codex_home" not in merged


def test_only_proxy_variables_in_either_case_are_reported() -> None:
    pairs = parse_dotenv(
        "https_proxy=http://old:1\nHTTPS_PROXY=http://new:2\nno_proxy=localhost\n"
        "OPENAI_API_KEY=sk-secret\nWS_PROXY=http://x:3\n"
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
