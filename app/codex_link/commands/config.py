"""`codex-link config [--json]`: what Codex will use when it starts now, read-only.

Exit 0; 1 when Codex itself will not start: config.toml cannot be used (malformed or
unreadable, with line and column), Codex's folder is missing, a file or closed to the user,
a setting is one Codex refuses, or the Codex CLI on PATH refuses the file.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from codex_link.core.codex.codex_judge import CodexConfigJudge, CodexVerdict
from codex_link.core.codex.home import resolve_codex_home
from codex_link.core.codex.settings import load_settings
from codex_link.core.codex.settings_json import settings_to_dict
from codex_link.core.files.json_file import json_document
from codex_link.core.files.regular_file import read_regular_file
from codex_link.core.model.codex_settings import CodexSettings, LoginMode
from codex_link.core.model.findings import Severity
from codex_link.core.redact import redact_url


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "config",
        help="show what Codex will use: provider, WebSocket on/off, login, endpoints, proxies",
        description=(
            "Shows what OpenAI Codex will use when it starts now: its home folder and config "
            "file, the model provider and whether it uses WebSockets, the login mode, the "
            "endpoints, proxies set in Codex's .env file, profiles, and problems found. "
            "Reads only; changes nothing."
        ),
        epilog="Exit codes: 0 ok, 1 Codex will not start with this config (see the findings).",
    )
    parser.add_argument("--json", action="store_true", help="print JSON (stable snake_case keys)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    settings = load_settings(resolve_codex_home(env), env)
    verdict = codex_verdict(settings, env)
    if args.json:
        data = settings_to_dict(settings)
        data["codex_judge"] = (
            None
            if verdict is None
            else {"accepted": verdict.accepted, "reason": verdict.reason or None}
        )
        print(json_document(data), end="")
    else:
        print(render(settings))
        if verdict is not None and not verdict.accepted:
            print(f"  [ERROR] The Codex CLI itself refuses this config.toml: {verdict.reason}")
    if verdict is not None and not verdict.accepted:
        return 1
    error = settings.config_error
    if error is None:
        # An error finding means Codex will not start (its folder, or a setting it refuses):
        # the finding above says why.
        return 1 if any(f.severity is Severity.ERROR for f in settings.findings) else 0
    where = f" (line {error.line}, column {error.column})" if error.line else ""
    print(f"error: {error.path}: {error.message}{where}", file=sys.stderr)
    return 1


def codex_verdict(settings: CodexSettings, env: dict[str, str]) -> CodexVerdict | None:
    """What the Codex CLI on PATH says of config.toml (None: no CLI, or nothing to judge).

    Only asked when the app's own reading finds no error: then Codex's word can still differ
    (a setting a newer Codex refuses), and the user must not be told the file is fine.
    """
    if settings.config_error is not None or any(
        f.severity is Severity.ERROR for f in settings.findings
    ):
        return None
    judge = CodexConfigJudge.find(env)
    if judge is None:
        return None
    try:
        content = read_regular_file(settings.home.config_path)
    except OSError:
        return None
    return judge.judge(content)


def render(settings: CodexSettings) -> str:
    """The plain-text view: one line per fact, then the findings."""
    provider = settings.provider
    home_note = " (from CODEX_HOME)" if settings.home.from_env else ""
    if any(f.code.startswith("codex_home_") for f in settings.findings):
        config_note = "not read: Codex's folder cannot be used (see below)"
    elif not settings.config_exists:
        config_note = "not found: Codex uses its defaults"
    elif settings.config_error is not None:
        config_note = "cannot be used (see below)"
    elif any(
        f.severity is Severity.ERROR and f.path == settings.home.config_path
        for f in settings.findings
    ):
        config_note = "Codex will refuse to load it (see below)"
    else:
        config_note = "ok"
    kind = "built in" if provider.builtin else "from config.toml"
    login = "ChatGPT" if settings.login_mode is LoginMode.CHATGPT else "API key"
    if settings.respect_system_proxy:
        system_proxy = "used for both transports (features.respect_system_proxy)"
    else:
        system_proxy = "not used for WebSocket (features.respect_system_proxy is off)"
    proxies = (
        ", ".join(f"{name}={redact_url(value)}" for name, value in settings.dotenv_proxies)
        or "none"
    )
    rows = [
        ("Codex home", f"{settings.home.path}{home_note}"),
        ("Config file", f"{settings.home.config_path} ({config_note})"),
        ("Provider", f'{provider.id} ("{provider.name}", {kind})'),
        ("WebSocket", "on" if provider.supports_websockets else "off (HTTP only)"),
        ("Login", f"{login} ({settings.login_source})"),
        ("HTTP endpoint", settings.endpoints.http_url),
        ("WebSocket endpoint", settings.endpoints.websocket_url),
        ("System proxy", system_proxy),
        (".env proxies", proxies),
    ]
    for profile in settings.profiles:
        where = "[profiles] table, old style" if profile.legacy_table else profile.path.name
        rows.append(("Profile", f"{profile.name}: provider {profile.model_provider} ({where})"))
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    if settings.findings:
        lines.append("")
        lines.append("Findings:")
        lines += [f"  [{f.severity.value.upper()}] {f.message}" for f in settings.findings]
    else:
        lines.append("")
        lines.append("No problems found.")
    return "\n".join(lines)
