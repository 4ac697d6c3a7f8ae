"""pytest fixtures for the loopback harness (the endpoint server and the real proxies).

Servers and proxies live for the whole session (starting them per test would cost more than
the tests); what a test can change (behaviours, delays, counters) is reset before each test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.proxies import (
    ConnectMode,
    MicroSocks,
    MissingBinary,
    ProxyProcess,
    TinyProxy,
    TlsProxy,
    dead_port,
)


def _fresh(endpoint: FakeEndpoint) -> FakeEndpoint:
    endpoint.http_behaviour = Behaviour.OK
    endpoint.ws_behaviour = Behaviour.OK
    endpoint.ws_only_from = None
    endpoint.delay_s = 0.0
    endpoint.tls_delay_s = 0.0
    endpoint.reply_text = "pong"
    endpoint.reset_stats()
    return endpoint


@pytest.fixture(scope="session")
def harness_ca() -> trustme.CA:
    """The throw-away CA that signs the harness endpoint's certificate."""
    return trustme.CA()


@pytest.fixture(scope="session")
def _endpoint_server(harness_ca: trustme.CA) -> Iterator[FakeEndpoint]:
    with FakeEndpoint(tls=True, ca=harness_ca) as server:
        yield server


@pytest.fixture(scope="session")
def _plain_endpoint_server() -> Iterator[FakeEndpoint]:
    with FakeEndpoint(tls=False) as server:
        yield server


@pytest.fixture
def endpoint(_endpoint_server: FakeEndpoint) -> FakeEndpoint:
    """The TLS endpoint (https/wss://localhost:PORT/v1), answering OK, counters at zero."""
    return _fresh(_endpoint_server)


@pytest.fixture
def plain_endpoint(_plain_endpoint_server: FakeEndpoint) -> FakeEndpoint:
    """The same endpoint without TLS (http/ws://127.0.0.1:PORT/v1)."""
    return _fresh(_plain_endpoint_server)


@pytest.fixture(scope="session")
def harness_ca_pem(_endpoint_server: FakeEndpoint) -> Path:
    """PEM of the CA that signed `endpoint`'s certificate (CODEX_CA_CERTIFICATE, SSL_CERT_FILE)."""
    assert _endpoint_server.ca_pem_path is not None
    return _endpoint_server.ca_pem_path


def start_proxy[P: ProxyProcess](factory: Callable[[], P]) -> Iterator[P]:
    """The body of a proxy fixture: started, yielded, stopped; skipped where not installed
    (a failure on CI, whose image must have it)."""
    proxy = factory()
    try:
        proxy.start()
    except MissingBinary as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc}: the CI image must install it")
        pytest.skip(f"{exc}; install it to run the proxy tests")
    try:
        yield proxy
    finally:
        proxy.stop()


@pytest.fixture(scope="session")
def http_proxy() -> Iterator[TinyProxy]:
    """tinyproxy that allows CONNECT to any port; `.url` is http://127.0.0.1:PORT."""
    yield from start_proxy(lambda: TinyProxy(ConnectMode.ALLOW))


@pytest.fixture(scope="session")
def https_proxy(http_proxy: TinyProxy, harness_ca: trustme.CA) -> Iterator[TlsProxy]:
    """An https:// proxy (stunnel in front of `http_proxy`), certificate from `harness_ca`."""
    yield from start_proxy(lambda: TlsProxy(http_proxy, harness_ca))


@pytest.fixture(scope="session")
def http_proxy_deny() -> Iterator[TinyProxy]:
    """tinyproxy that answers every CONNECT to our endpoints with 403."""
    yield from start_proxy(lambda: TinyProxy(ConnectMode.DENY))


@pytest.fixture(scope="session")
def http_proxy_auth() -> Iterator[TinyProxy]:
    """tinyproxy that wants Basic proxy login (407 without); `.url_with_auth` carries it."""
    yield from start_proxy(lambda: TinyProxy(ConnectMode.AUTH))


@pytest.fixture(scope="session")
def http_proxy_auth_credentials(http_proxy_auth: TinyProxy) -> tuple[str, str]:
    """(user, password) that `http_proxy_auth` accepts."""
    return http_proxy_auth.user, http_proxy_auth.password


@pytest.fixture(scope="session")
def socks_proxy() -> Iterator[MicroSocks]:
    """microsocks without authentication; `.url` is socks5://127.0.0.1:PORT."""
    yield from start_proxy(MicroSocks)


@pytest.fixture
def dead_proxy_url() -> str:
    """An http:// proxy URL on a loopback port where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{dead_port()}"
