"""What a PAC file answers for one URL, through pypac (which runs the script in dukpy).

Used for the system proxy's automatic configuration script: Codex follows it only with
`features.respect_system_proxy` (through WinHTTP / CFNetwork), but it is also the route the
user's browser takes, so it is worth probing as an alternative.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import unquote, urlsplit

from codex_link.core.model.urls import as_http_url

# The answer for a PAC file that says "DIRECT" for the URL (None means: no answer).
PAC_DIRECT = "DIRECT"

# Servers send PAC files under many types; pypac silently returns None for any type not listed.
PAC_CONTENT_TYPES = (
    "application/x-ns-proxy-autoconfig",
    "application/x-javascript-config",
    "application/javascript",
    "application/x-javascript",
    "text/javascript",
    "text/plain",
    "text/html",
    "application/octet-stream",
)


def first_pac_proxy(answer: str) -> str | None:
    """The first entry of a `FindProxyForURL` answer as a proxy URL, or `PAC_DIRECT`.

    `"PROXY h:p; DIRECT"` -> `"http://h:p"`; `"SOCKS5 h:p"` -> `"socks5://h:p"`;
    `"HTTPS h:p"` -> `"https://h:p"`; `"DIRECT"` -> `PAC_DIRECT`. Clients take the first
    entry and fall back only when it fails, so the first entry is the route to probe.
    """
    for part in answer.split(";"):
        words = part.split()
        if not words:
            continue
        keyword = words[0].upper()
        if keyword == "DIRECT":
            return PAC_DIRECT
        if len(words) < 2:
            continue
        scheme = {
            "PROXY": "http",
            "HTTP": "http",
            "HTTPS": "https",
            "SOCKS": "socks5",
            "SOCKS5": "socks5",
            "SOCKS4": "socks4",
        }.get(keyword)
        if scheme is not None:
            return f"{scheme}://{words[1]}"
    return None


async def pac_proxy_for(pac_url: str, target_url: str, *, timeout_s: float) -> str | None:
    """The PAC file's proxy for `target_url` (a URL, or `PAC_DIRECT`); None on any failure.

    Downloading and running the script block, so they run in a worker thread, bounded by
    `timeout_s`. A `wss://` target is asked as `https://`, as browsers do.
    """
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(_resolve, pac_url, as_http_url(target_url), timeout_s), timeout_s
        )
    except (TimeoutError, OSError):
        return None


def _resolve(pac_url: str, target_url: str, timeout_s: float) -> str | None:
    # Loaded on first use: most checks never meet a PAC file. pypac downloads through the
    # requests Session it is given, so requests is used here directly, not only through pypac.
    import pypac
    import requests

    try:
        if pac_url.lower().startswith("file:"):
            script = Path(unquote(urlsplit(pac_url).path)).read_text(encoding="utf-8")
            pac = pypac.get_pac(js=script)
        else:
            with requests.Session() as session:
                session.trust_env = False  # the PAC server is reached directly, as browsers do
                pac = pypac.get_pac(
                    url=pac_url,
                    timeout=timeout_s,
                    session=session,
                    allowed_content_types=list(PAC_CONTENT_TYPES),
                )
        if pac is None:
            return None
        host = urlsplit(target_url).hostname or ""
        answer = pac.find_proxy_for_url(target_url, host)
    except Exception:  # a broken script or server must not break a check
        return None
    return first_pac_proxy(str(answer)) if answer else None
