"""What Codex trusts, and when a chain counts as re-signed by something on the way."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from codex_link.core.model.probe import (
    Failure,
    PhaseTimings,
    ProbeResult,
    Route,
    RouteKind,
    Stage,
    Transport,
)
from codex_link.core.net.probe_http import probe_http
from codex_link.core.net.tls import TlsTrust, codex_trust, run_with_codex_trust
from tests import factories as f
from tests.harness.endpoint import FakeEndpoint


def test_without_a_ca_variable_codex_trusts_the_os_store_only() -> None:
    trust = codex_trust({})

    assert trust.context is trust.os_only
    assert trust.extra_ca is None and trust.problem is None


def test_codex_ca_certificate_wins_over_ssl_cert_file(harness_ca_pem: Path, tmp_path: Path) -> None:
    trust = codex_trust(
        {
            "CODEX_CA_CERTIFICATE": str(harness_ca_pem),
            "SSL_CERT_FILE": str(tmp_path / "missing.pem"),
        }
    )

    assert trust.extra_ca == harness_ca_pem and trust.problem is None
    assert trust.context is not trust.os_only


def test_ssl_cert_file_is_used_when_it_is_the_only_one(harness_ca_pem: Path) -> None:
    trust = codex_trust({"CODEX_CA_CERTIFICATE": "  ", "SSL_CERT_FILE": str(harness_ca_pem)})

    assert trust.extra_ca == harness_ca_pem


def test_a_missing_ca_file_keeps_os_trust_and_says_why(tmp_path: Path) -> None:
    missing = tmp_path / "corp-ca.pem"

    trust = codex_trust({"CODEX_CA_CERTIFICATE": str(missing)})

    assert trust.extra_ca is None and trust.context is trust.os_only
    assert trust.problem is not None
    assert "CODEX_CA_CERTIFICATE" in str(trust.problem) and str(missing) in str(trust.problem)
    assert "could not be read" in str(trust.problem)


def test_a_file_without_pem_keeps_os_trust_and_says_why(tmp_path: Path) -> None:
    junk = tmp_path / "ca.pem"
    junk.write_text("this is not a certificate\n")

    trust = codex_trust({"SSL_CERT_FILE": str(junk)})

    assert trust.extra_ca is None and trust.problem is not None
    assert "no PEM certificate" in str(trust.problem)
    assert junk.read_text() == "this is not a certificate\n"  # never touched


def _result(failure: Failure | None, *, tls_ms: float | None) -> ProbeResult:
    return f.probe(
        Transport.HTTP,
        failure,
        ms=1.0,
        reason="seen",
        timings=PhaseTimings.of({Stage.TLS: tls_ms} if tls_ms is not None else {}),
    )


class _Attempts:
    """Stands in for a probe: answers per context, records contexts and budgets."""

    def __init__(self, answers: dict[int, ProbeResult]) -> None:
        self.answers = answers
        self.calls: list[tuple[int, float]] = []

    async def __call__(self, context: ssl.SSLContext, budget_s: float) -> ProbeResult:
        self.calls.append((id(context), budget_s))
        return self.answers[id(context)]


def _trust_with_extra_ca() -> TlsTrust:
    return TlsTrust(
        context=ssl.create_default_context(),
        os_only=ssl.create_default_context(),
        extra_ca=Path("/etc/corp-ca.pem"),
    )


async def test_a_chain_the_os_accepts_costs_one_attempt() -> None:
    trust = _trust_with_extra_ca()
    attempts = _Attempts({id(trust.os_only): _result(None, tls_ms=3.0)})

    result = await run_with_codex_trust(
        trust, attempts, secure=True, timeout_s=10.0, clock=lambda: 0.0
    )

    assert not result.tls_intercepted
    assert attempts.calls == [(id(trust.os_only), 10.0)]


async def test_a_chain_only_the_added_ca_accepts_is_intercepted() -> None:
    trust = _trust_with_extra_ca()
    attempts = _Attempts(
        {
            id(trust.os_only): _result(Failure.TLS_UNTRUSTED, tls_ms=None),
            id(trust.context): _result(None, tls_ms=4.0),
        }
    )
    ticks = iter([100.0, 102.5])

    result = await run_with_codex_trust(
        trust, attempts, secure=True, timeout_s=10.0, clock=lambda: next(ticks)
    )

    assert result.tls_intercepted and result.failure is None
    assert "/etc/corp-ca.pem" in str(result.reason) and str(result.reason).startswith("seen ")
    assert [budget for _, budget in attempts.calls] == [10.0, pytest.approx(7.5)]


async def test_a_chain_nobody_accepts_is_untrusted_not_intercepted() -> None:
    trust = _trust_with_extra_ca()
    untrusted = _result(Failure.TLS_UNTRUSTED, tls_ms=None)
    attempts = _Attempts({id(trust.os_only): untrusted, id(trust.context): untrusted})

    result = await run_with_codex_trust(
        trust, attempts, secure=True, timeout_s=10.0, clock=lambda: 0.0
    )

    assert result.failure is Failure.TLS_UNTRUSTED and not result.tls_intercepted


async def test_plain_urls_and_os_only_trust_run_once_with_codex_context() -> None:
    plain_trust = _trust_with_extra_ca()
    os_trust = codex_trust({})
    plain = _Attempts({id(plain_trust.context): _result(None, tls_ms=None)})
    os_only = _Attempts({id(os_trust.context): _result(None, tls_ms=2.0)})

    await run_with_codex_trust(plain_trust, plain, secure=False, timeout_s=5.0, clock=lambda: 0.0)
    await run_with_codex_trust(os_trust, os_only, secure=True, timeout_s=5.0, clock=lambda: 0.0)

    assert plain.calls == [(id(plain_trust.context), 5.0)]
    assert os_only.calls == [(id(os_trust.context), 5.0)]


async def test_interception_is_seen_even_with_ssl_cert_file_exported_to_this_app(
    endpoint: FakeEndpoint, harness_ca_pem: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user who exports SSL_CERT_FILE for Codex runs Codex Link with it too: the OS store
    must still mean the OS's own certificates, or a re-signed chain would look genuine."""
    monkeypatch.setenv("SSL_CERT_FILE", str(harness_ca_pem))
    trust = codex_trust({"SSL_CERT_FILE": str(harness_ca_pem)})

    result = await probe_http(
        endpoint.responses_url, Route(RouteKind.DIRECT), trust=trust, timeout_s=5.0
    )

    assert result.reachable and result.tls_intercepted
