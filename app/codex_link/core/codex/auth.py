"""Which login Codex uses (ChatGPT or API key), because it decides the endpoint host.

Only the mode is read. auth.json holds tokens and keys: they are looked at for presence, never
kept, logged or returned. Rules as Codex 0.169 applies them (checked with `codex doctor`):

1. `CODEX_API_KEY` in the environment -> API key (beats auth.json).
2. `CODEX_ACCESS_TOKEN` in the environment -> ChatGPT.
3. auth.json: `auth_mode` when present (`apikey`, `chatgpt...`); else API key when it stores
   an `OPENAI_API_KEY` string (even an empty one); else ChatGPT.
4. No auth.json: `OPENAI_API_KEY` in the environment -> API key; else nobody is signed in
   yet, and ChatGPT (what `codex login` offers first) is assumed.

`OPENAI_API_KEY` in the environment does NOT override an auth.json login, and `CODEX_*`
variables in `$CODEX_HOME/.env` are ignored by Codex: the caller passes the environment Codex
will see (see `dotenv.codex_environment`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.model.codex_settings import LoginMode
from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.text import QT_TRANSLATE_NOOP, TextArg, text


@dataclass(frozen=True, slots=True)
class LoginResolution:
    mode: LoginMode
    source: str  # where the mode came from, in words; never a secret
    finding: Finding | None = None


def resolve_login_mode(
    auth_path: Path, env: Mapping[str, str], credentials_store: str | None = None
) -> LoginResolution:
    """The login mode Codex will use. Never raises for a bad or unreadable auth.json."""
    if env.get("CODEX_API_KEY", "").strip():
        return LoginResolution(LoginMode.API_KEY, "CODEX_API_KEY environment variable")
    if env.get("CODEX_ACCESS_TOKEN", "").strip():
        return LoginResolution(LoginMode.CHATGPT, "CODEX_ACCESS_TOKEN environment variable")
    if credentials_store == "keyring":
        # The login lives in the OS keyring, which the app does not open.
        return LoginResolution(LoginMode.CHATGPT, "OS keyring (not read; ChatGPT sign-in assumed)")
    try:
        raw = read_regular_file(auth_path)
    except NotADirectoryError:
        raw = None
    except OSError as exc:
        return _unusable(auth_path, exc.strerror or type(exc).__name__)
    if raw is None:
        if env.get("OPENAI_API_KEY", "").strip():
            return LoginResolution(LoginMode.API_KEY, "OPENAI_API_KEY environment variable")
        return LoginResolution(LoginMode.CHATGPT, "not signed in yet (ChatGPT assumed)")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting must not escape
        return _unusable(auth_path, text(QT_TRANSLATE_NOOP("CodexLink", "it is not valid JSON")))
    if not isinstance(data, dict):
        return _unusable(auth_path, text(QT_TRANSLATE_NOOP("CodexLink", "it is not a JSON object")))
    mode = data.get("auth_mode")
    if mode is not None:
        if mode == "apikey":
            return LoginResolution(LoginMode.API_KEY, "auth.json (auth_mode)")
        if isinstance(mode, str) and mode.startswith("chatgpt"):
            return LoginResolution(LoginMode.CHATGPT, "auth.json (auth_mode)")
        return _unusable(
            auth_path, text(QT_TRANSLATE_NOOP("CodexLink", "its auth_mode is not one Codex knows"))
        )
    if isinstance(data.get("OPENAI_API_KEY"), str):
        return LoginResolution(LoginMode.API_KEY, "auth.json (stored API key)")
    return LoginResolution(LoginMode.CHATGPT, "auth.json (ChatGPT sign-in)")


def _unusable(auth_path: Path, reason: TextArg) -> LoginResolution:
    finding = Finding(
        code="auth_unreadable",
        severity=Severity.WARNING,
        message=text(
            QT_TRANSLATE_NOOP(
                "CodexLink",
                'Codex cannot read its sign-in file ({reason}). Run "codex login" again. '
                "Until then the checks assume a ChatGPT sign-in.",
            ),
            reason=reason,
        ),
        path=auth_path,
    )
    return LoginResolution(LoginMode.CHATGPT, "auth.json unreadable (ChatGPT assumed)", finding)
