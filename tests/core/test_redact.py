"""The one redaction module: what it hides in URLs, config text and finished output."""

from __future__ import annotations

import io
import logging
import sys

from codex_link.core.redact import (
    HIDDEN_PASSWORD,
    ScrubbingFormatter,
    hide_url_passwords,
    redact_url,
    reveal_url_passwords,
    scrub,
    scrubbed_output,
)


def test_a_url_keeps_where_it_points_and_loses_its_login_and_query_values() -> None:
    assert redact_url(
        "https://me:pw-9@llm.example:8443/v1/responses?api-key=k-1&api-version=2025-04-01"
    ) == ("https://***@llm.example:8443/v1/responses?api-key=***&api-version=2025-04-01")
    assert redact_url("http://127.0.0.1:7890") == "http://127.0.0.1:7890"
    assert redact_url("user:pw@proxy:3128") == "***@proxy:3128"


def test_a_switch_diff_masks_secrets_in_every_line_but_keeps_the_change_readable() -> None:
    diff = "\n".join(
        [
            "@@ -1,6 +1,7 @@",
            ' experimental_bearer_token = "tok-1"',
            ' http_headers = { "X-Team" = "hdr-2", "X-Key" = \'hdr-3\' }',
            ' query_params = { "api-key" = "q-4" }',
            ' env_key = "CORP_KEY"',
            " [mcp_servers.github.env]",
            ' GITHUB_TOKEN = "gh-5"',
            " [model_providers.corp]",
            "-supports_websockets = true",
            "+supports_websockets = false",
        ]
    )

    shown = scrub(diff)

    for secret in ("tok-1", "hdr-2", "hdr-3", "q-4", "gh-5"):
        assert secret not in shown
    assert 'env_key = "CORP_KEY"' in shown  # the name of a variable is no secret
    assert "+supports_websockets = false" in shown and "[model_providers.corp]" in shown


def test_tokens_in_any_text_are_masked() -> None:
    shown = scrub(
        "Authorization: Bearer abcdefgh123 key sk-proj-abcdef1234 "
        "jwt eyJhbGciOi.eyJzdWIiOiIx.c2ln OPENAI_API_KEY=plain-key-7"
    )
    for secret in ("abcdefgh123", "sk-proj-abcdef1234", "eyJhbGciOi", "plain-key-7"):
        assert secret not in shown


def test_a_hidden_password_comes_back_only_from_the_same_url() -> None:
    inserted = 'base_url = "https://me:pw-1@llm.example/v1"\n'
    hidden = hide_url_passwords(inserted)
    assert "pw-1" not in hidden and HIDDEN_PASSWORD in hidden
    config = 'openai_base_url = "https://me:pw-1@llm.example/v1"\n'
    assert reveal_url_passwords(hidden, config) == inserted
    moved = 'openai_base_url = "https://me:pw-1@other.example/v1"\n'
    assert reveal_url_passwords(hidden, moved) == hidden


def test_everything_printed_inside_goes_through_scrub() -> None:
    out = io.StringIO()
    saved = sys.stdout
    sys.stdout = out
    try:
        with scrubbed_output():
            print("proxy http://me:pw-2@127.0.0.1:3128 and", end=" ")
            print('token = "tok-3"')
            sys.stdout.write("partial sk-abcdef123456")
    finally:
        sys.stdout = saved
    assert "pw-2" not in out.getvalue() and "tok-3" not in out.getvalue()
    assert "abcdef123456" not in out.getvalue() and "127.0.0.1:3128" in out.getvalue()


def test_log_lines_and_tracebacks_are_scrubbed() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ScrubbingFormatter("%(message)s"))
    logger = logging.getLogger("codex_link.test_redact")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("refused https://me:pw-4@llm.example/v1")
        except ValueError:
            logger.exception("upgrade to %s failed", "wss://me:pw-5@llm.example/v1")
    finally:
        logger.removeHandler(handler)
    assert "pw-4" not in stream.getvalue() and "pw-5" not in stream.getvalue()
    assert "llm.example" in stream.getvalue()
