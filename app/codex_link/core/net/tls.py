"""What Codex trusts for TLS, and how a probe notices a connection that is re-signed locally.

Codex trusts the OS certificate store plus one PEM bundle: `CODEX_CA_CERTIFICATE`, else
`SSL_CERT_FILE` (CODEX_FACTS §5). A chain that verifies only thanks to that added bundle is
typically a TLS-intercepting company proxy; some Codex builds ignore the bundle on the
WebSocket path (issue #46489), so such a route may work for HTTP and fail for WebSocket.
"""

from __future__ import annotations

import os
import re
import ssl
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from codex_link.core.model.probe import Failure, ProbeResult, Stage
from codex_link.core.model.text import Text
from codex_link.core.net.reasons import Say, intercepted_reason, say

CA_VARIABLES = ("CODEX_CA_CERTIFICATE", "SSL_CERT_FILE")

# Where Linux and BSD distributions keep the system bundle, when OpenSSL's compiled-in
# location is empty (e.g. a Python built elsewhere than the distribution's OpenSSL).
_SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # Fedora, RHEL
    "/etc/ssl/cert.pem",  # Alpine, Arch, BSD
    "/etc/ssl/ca-bundle.pem",  # SUSE
)
_HASHED_NAME = re.compile(r"^[0-9a-f]{8}\.\d+$")


@dataclass(frozen=True, slots=True)
class TlsTrust:
    """`context`: what Codex trusts; `os_only`: the OS store alone (same object if no CA file)."""

    context: ssl.SSLContext
    os_only: ssl.SSLContext
    extra_ca: Path | None = None  # the PEM bundle added to the OS store, when it loaded
    problem: Text | None = None  # why a named CA file was not used


def os_trust_context(platform: str = sys.platform) -> ssl.SSLContext:
    """A client context on the OS trust store (Keychain, Windows store, OpenSSL paths).

    Windows and macOS verify through their native stores (truststore). Elsewhere the store is
    OpenSSL's, and truststore would reload it on every handshake (tens of ms on the event
    loop, which freezes the tray), so it is loaded once here. It comes from OpenSSL's
    compiled-in paths, not `SSL_CERT_FILE`, so a CA added for Codex is never mistaken for
    the OS store (interception stays detectable). A hashed certificate folder is preferred:
    OpenSSL looks certificates up in it lazily, so the context costs well under 1 ms.
    """
    if platform in ("win32", "darwin"):
        import truststore  # only where it is used (Linux keeps OpenSSL's store)

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    paths = ssl.get_default_verify_paths()
    if has_hashed_certs(paths.openssl_capath):
        context.load_verify_locations(capath=paths.openssl_capath)
        return context
    bundle = next((f for f in (paths.openssl_cafile, *_SYSTEM_BUNDLES) if Path(f).is_file()), None)
    if bundle is not None:
        context.load_verify_locations(cafile=bundle)
    return context


def has_hashed_certs(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(_HASHED_NAME.match(entry.name) for entry in entries)
    except OSError:
        return False


def codex_trust(env: Mapping[str, str]) -> TlsTrust:
    """The trust Codex would use under `env`. A bad CA file leaves the OS store, with `problem`."""
    os_only = os_trust_context()
    variable = next((name for name in CA_VARIABLES if env.get(name, "").strip()), None)
    if variable is None:
        return TlsTrust(context=os_only, os_only=os_only)
    path = Path(env[variable].strip()).expanduser()
    context = os_trust_context()
    try:
        context.load_verify_locations(cafile=str(path))
    except ssl.SSLError:
        problem = say(Say.CA_NOT_PEM, variable=variable, path=str(path))
        return TlsTrust(context=os_only, os_only=os_only, problem=problem)
    except OSError:
        problem = say(Say.CA_UNREADABLE, variable=variable, path=str(path))
        return TlsTrust(context=os_only, os_only=os_only, problem=problem)
    return TlsTrust(context=context, os_only=os_only, extra_ca=path)


type Attempt = Callable[[ssl.SSLContext, float], Awaitable[ProbeResult]]


async def run_with_codex_trust(
    trust: TlsTrust, attempt: Attempt, *, secure: bool, timeout_s: float, clock: Callable[[], float]
) -> ProbeResult:
    """Runs `attempt(context, budget_s)` with Codex's trust and sets `tls_intercepted`.

    With an added CA, the OS store is tried first: a chain it accepts is not intercepted and
    costs nothing more. Only a chain it rejects is tried again with Codex's full trust; if
    that passes TLS, the route works only thanks to the added CA. Both attempts together stay
    within `timeout_s`.
    """
    if not secure or trust.extra_ca is None:
        return await attempt(trust.context, timeout_s)
    start = clock()
    first = await attempt(trust.os_only, timeout_s)
    remaining = timeout_s - (clock() - start)
    if first.failure is not Failure.TLS_UNTRUSTED or remaining <= 0:
        return first
    second = await attempt(trust.context, remaining)
    if Stage.TLS not in second.timings:  # it failed before TLS: the CA made no difference
        return second
    return replace(
        second, tls_intercepted=True, reason=intercepted_reason(second.reason, str(trust.extra_ca))
    )
