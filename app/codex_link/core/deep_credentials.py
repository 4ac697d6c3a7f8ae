"""The user's Codex login, read only for the opt-in deep check, and only at that moment.

The deep check sends the login on the WebSocket upgrade to the host Codex itself uses, to
catch a server that accepts the upgrade and then closes it (1008, issues #13039/#13041).
Tokens and keys are secrets: this module reads them when asked, returns them in a value whose
repr hides them, keeps nothing, and never logs. Where Codex keeps them (CODEX_FACTS §3):
`CODEX_API_KEY` / `CODEX_ACCESS_TOKEN` in the environment, else `auth.json`
(`OPENAI_API_KEY`, `tokens.access_token`, `tokens.account_id`); a login kept in the OS
keyring is not opened, so the deep check then runs without it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from codex_link.core.codex.regular_file import read_regular_file
from codex_link.core.codex.settings import CodexSettings, LoginMode
from codex_link.core.net.probe_ws import WsCredentials


def _auth_json(path: Path) -> Mapping[str, Any]:
    try:
        raw = read_regular_file(path)  # a FIFO in its place must not block the check
        data = json.loads(raw) if raw is not None else {}
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _string(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_ws_credentials(settings: CodexSettings, env: Mapping[str, str]) -> WsCredentials | None:
    """The login Codex would send on its WebSocket, or None when it cannot be read here."""
    if settings.login_mode is LoginMode.API_KEY:
        key = _string(env.get("CODEX_API_KEY"))
        if key is None:
            key = _string(_auth_json(settings.home.auth_path).get("OPENAI_API_KEY"))
        if key is None:
            key = _string(env.get("OPENAI_API_KEY"))
        return WsCredentials(bearer_token=key) if key is not None else None
    token = _string(env.get("CODEX_ACCESS_TOKEN"))
    if token is not None:
        return WsCredentials(bearer_token=token)
    tokens = _auth_json(settings.home.auth_path).get("tokens")
    if not isinstance(tokens, Mapping):
        return None
    access = _string(tokens.get("access_token"))
    if access is None:
        return None
    return WsCredentials(bearer_token=access, account_id=_string(tokens.get("account_id")))
