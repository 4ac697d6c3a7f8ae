"""The harness proves each fault mode for real, with plain clients, so probe tests can trust it."""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme
from websockets.exceptions import (
    ConnectionClosedError,
    InvalidMessage,
    InvalidProxyStatus,
    InvalidStatus,
)
from websockets.sync.client import connect as ws_connect

from tests.harness.endpoint import GARBAGE, Behaviour, FakeEndpoint, wait_until
from tests.harness.fixtures import start_proxy
from tests.harness.proxies import MicroSocks, TinyProxy
from tests.harness.sse import parse_sse

SHORT_S = 0.6  # a client's timeout where the endpoint is meant never to answer
proxy_running = contextlib.contextmanager(start_proxy)  # a proxy for one block of a test


@pytest.fixture(scope="module")
def trust(harness_ca_pem: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(harness_ca_pem))


@contextlib.contextmanager
def raw_tls(
    endpoint: FakeEndpoint, trust: ssl.SSLContext, timeout_s: float = SHORT_S
) -> Iterator[ssl.SSLSocket]:
    """A TLS socket to the endpoint, handshake done, certificate verified for "localhost"."""
    raw = socket.create_connection(("127.0.0.1", endpoint.port), timeout=timeout_s)
    with trust.wrap_socket(raw, server_hostname="localhost") as tls:
        yield tls


def http_client(
    trust: ssl.SSLContext, proxy: str | None = None, timeout_s: float = 5.0
) -> httpx.Client:
    return httpx.Client(verify=trust, proxy=proxy, trust_env=False, timeout=timeout_s)


# ----- OK mode ---------------------------------------------------------------------------------


def test_post_streams_a_finished_turn_as_sse(endpoint: FakeEndpoint, trust: ssl.SSLContext) -> None:
    with http_client(trust) as client:
        response = client.post(endpoint.responses_url, json={"input": "say pong"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    events = parse_sse(response.content)
    assert [e["type"] for e in events] == [
        "response.created",
        "response.output_item.done",
        "response.completed",
    ]
    assert events[1]["item"]["content"][0]["text"] == "pong"
    assert endpoint.stats.posts == 1
    assert endpoint.stats.ws_upgrade_attempts == 0


def test_head_and_get_answer_and_are_counted(endpoint: FakeEndpoint, trust: ssl.SSLContext) -> None:
    with http_client(trust) as client:
        assert client.head(endpoint.responses_url).status_code == 200
        assert client.get(endpoint.responses_url).status_code == 200
    assert endpoint.stats.http_requests == 2
    assert endpoint.stats.posts == 0


def test_websocket_upgrades_answers_pings_and_echoes_the_close(
    endpoint: FakeEndpoint, trust: ssl.SSLContext
) -> None:
    with ws_connect(
        endpoint.ws_url,
        ssl=trust,
        proxy=None,
        additional_headers={"OpenAI-Beta": "responses_websockets=2026-02-06"},
    ) as ws:
        assert ws.ping().wait(2)
        ws.send('{"type": "response.create"}')
        assert '"response.created"' in str(ws.recv(timeout=2))
    assert ws.close_code == 1000  # set only once the endpoint echoed our close frame
    assert endpoint.stats.close_codes_received == [1000]
    assert endpoint.stats.ws_upgrade_attempts == 1
    assert endpoint.stats.last_ws_headers["openai-beta"] == "responses_websockets=2026-02-06"


def test_certificate_is_valid_for_every_loopback_name(
    endpoint: FakeEndpoint, trust: ssl.SSLContext
) -> None:
    with http_client(trust) as client:
        for host in ("localhost", "127.0.0.1"):
            assert client.get(f"https://{host}:{endpoint.port}/v1/responses").status_code == 200
    assert endpoint.ca_pem_path is not None
    assert endpoint.ca_pem_path.read_text().startswith("-----BEGIN CERTIFICATE-----")


def test_plain_endpoint_speaks_http_and_ws(plain_endpoint: FakeEndpoint) -> None:
    assert plain_endpoint.base_url.startswith("http://127.0.0.1:")
    assert plain_endpoint.ca_pem_path is None
    with httpx.Client(trust_env=False, timeout=5) as client:
        assert client.post(plain_endpoint.responses_url, content=b"{}").status_code == 200
    with ws_connect(plain_endpoint.ws_url, proxy=None) as ws:
        assert ws.ping().wait(2)
    assert plain_endpoint.stats.posts == 1
    assert plain_endpoint.stats.ws_upgrade_attempts == 1


# ----- fault modes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("behaviour", "status"),
    [(Behaviour.UPGRADE_401, 401), (Behaviour.UPGRADE_403, 403), (Behaviour.UPGRADE_426, 426)],
)
def test_status_modes_answer_upgrade_and_http(
    endpoint: FakeEndpoint, trust: ssl.SSLContext, behaviour: Behaviour, status: int
) -> None:
    endpoint.ws_behaviour = endpoint.http_behaviour = behaviour
    with pytest.raises(InvalidStatus) as refused:
        ws_connect(endpoint.ws_url, ssl=trust, proxy=None, open_timeout=5)
    assert refused.value.response.status_code == status
    with http_client(trust) as client:
        assert client.post(endpoint.responses_url, content=b"{}").status_code == status
    assert endpoint.stats.ws_upgrade_attempts == 1
    assert endpoint.stats.posts == 1


def test_close_1008_right_after_101(endpoint: FakeEndpoint, trust: ssl.SSLContext) -> None:
    endpoint.ws_behaviour = Behaviour.CLOSE_1008
    with (
        ws_connect(endpoint.ws_url, ssl=trust, proxy=None) as ws,
        pytest.raises(ConnectionClosedError) as closed,
    ):
        ws.recv(timeout=2)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008
    assert closed.value.rcvd.reason == "policy violation"


def test_blackhole_completes_tls_then_never_answers(
    endpoint: FakeEndpoint, trust: ssl.SSLContext
) -> None:
    endpoint.ws_behaviour = endpoint.http_behaviour = Behaviour.BLACKHOLE
    with raw_tls(endpoint, trust) as tls:  # the handshake itself succeeds
        tls.sendall(b"GET /v1/responses HTTP/1.1\r\nHost: localhost\r\n\r\n")
        with pytest.raises(TimeoutError):
            tls.recv(1)
    with pytest.raises(TimeoutError):
        ws_connect(endpoint.ws_url, ssl=trust, proxy=None, open_timeout=SHORT_S)
    assert endpoint.stats.ws_upgrade_attempts == 1  # the upgrade request was read


def test_reset_after_reading_the_request(plain_endpoint: FakeEndpoint) -> None:
    plain_endpoint.http_behaviour = Behaviour.RESET
    with socket.create_connection(("127.0.0.1", plain_endpoint.port), timeout=5) as sock:
        sock.sendall(b"GET /v1/responses HTTP/1.1\r\nHost: localhost\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            sock.recv(1)
    assert plain_endpoint.stats.http_requests == 1


def test_reset_under_tls_is_a_tcp_reset(endpoint: FakeEndpoint, trust: ssl.SSLContext) -> None:
    """Python's ssl reports a peer RST as SSLEOFError; the TCP layer underneath sees the RST."""
    endpoint.ws_behaviour = Behaviour.RESET
    with raw_tls(endpoint, trust, timeout_s=5) as tls:
        tls.sendall(
            b"GET /v1/responses HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: a2V5a2V5a2V5a2V5a2V5aw==\r\n\r\n"
        )
        assert wait_until(lambda: endpoint.stats.ws_upgrade_attempts == 1)
        with socket.socket(fileno=os.dup(tls.fileno())) as tcp:
            tcp.settimeout(5)
            with pytest.raises(ConnectionResetError):
                tcp.recv(1)


def test_garbage_is_not_http(endpoint: FakeEndpoint, trust: ssl.SSLContext) -> None:
    endpoint.ws_behaviour = endpoint.http_behaviour = Behaviour.GARBAGE
    with raw_tls(endpoint, trust, timeout_s=5) as tls:
        tls.sendall(b"HEAD /v1/responses HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert tls.recv(len(GARBAGE)).startswith(b"SSH-2.0-")
    with http_client(trust) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get(endpoint.responses_url)
    with pytest.raises(InvalidMessage):
        ws_connect(endpoint.ws_url, ssl=trust, proxy=None, open_timeout=5)


def test_slow_answers_after_the_delay(endpoint: FakeEndpoint, trust: ssl.SSLContext) -> None:
    endpoint.ws_behaviour = endpoint.http_behaviour = Behaviour.SLOW
    endpoint.delay_s = 0.4
    with http_client(trust) as client:
        client.get(endpoint.responses_url)  # warm connection: TLS is not in the measurement
        started = time.monotonic()
        assert client.get(endpoint.responses_url).status_code == 200
        http_s = time.monotonic() - started
    started = time.monotonic()
    with ws_connect(endpoint.ws_url, ssl=trust, proxy=None, open_timeout=5) as ws:
        ws_s = time.monotonic() - started
        assert ws.ping().wait(2)
    assert 0.4 <= http_s < 2.0
    assert 0.4 <= ws_s < 2.0


def test_tls_delay_holds_the_handshake(endpoint: FakeEndpoint, trust: ssl.SSLContext) -> None:
    endpoint.tls_delay_s = 0.4
    raw = socket.create_connection(("127.0.0.1", endpoint.port), timeout=5)
    started = time.monotonic()  # TCP is done: only the handshake is timed
    with trust.wrap_socket(raw, server_hostname="localhost"):
        handshake_s = time.monotonic() - started
    assert 0.4 <= handshake_s < 2.0


def test_stop_leaves_no_thread_and_no_listener() -> None:
    before = set(threading.enumerate())
    with FakeEndpoint(tls=False) as server, ws_connect(server.ws_url, proxy=None):
        port = server.port  # an open WebSocket must not hold the stop up
    assert set(threading.enumerate()) <= before
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# ----- through real proxies --------------------------------------------------------------------


@pytest.mark.proxies
def test_through_tinyproxy(
    endpoint: FakeEndpoint, trust: ssl.SSLContext, http_proxy: TinyProxy
) -> None:
    with http_client(trust, proxy=http_proxy.url) as client:
        assert client.post(endpoint.responses_url, content=b"{}").status_code == 200
    with ws_connect(endpoint.ws_url, ssl=trust, proxy=http_proxy.url, open_timeout=5) as ws:
        assert ws.ping().wait(2)
    assert endpoint.stats.posts == 1
    assert endpoint.stats.ws_upgrade_attempts == 1


@pytest.mark.proxies
def test_tinyproxy_deny_answers_connect_with_403(
    endpoint: FakeEndpoint, trust: ssl.SSLContext, http_proxy_deny: TinyProxy
) -> None:
    with pytest.raises(InvalidProxyStatus) as refused:
        ws_connect(endpoint.ws_url, ssl=trust, proxy=http_proxy_deny.url, open_timeout=5)
    assert refused.value.response.status_code == 403
    with http_client(trust, proxy=http_proxy_deny.url) as client, pytest.raises(httpx.ProxyError):
        client.get(endpoint.responses_url)
    assert endpoint.stats.connections == 0  # nothing got past the proxy


@pytest.mark.proxies
def test_tinyproxy_auth_wants_407_login(
    endpoint: FakeEndpoint,
    trust: ssl.SSLContext,
    http_proxy_auth: TinyProxy,
    http_proxy_auth_credentials: tuple[str, str],
) -> None:
    with pytest.raises(InvalidProxyStatus) as refused:
        ws_connect(endpoint.ws_url, ssl=trust, proxy=http_proxy_auth.url, open_timeout=5)
    assert refused.value.response.status_code == 407
    user, password = http_proxy_auth_credentials
    assert f"{user}:{password}@" in http_proxy_auth.url_with_auth
    with ws_connect(
        endpoint.ws_url, ssl=trust, proxy=http_proxy_auth.url_with_auth, open_timeout=5
    ) as ws:
        assert ws.ping().wait(2)
    with http_client(trust, proxy=http_proxy_auth.url_with_auth) as client:
        assert client.get(endpoint.responses_url).status_code == 200
    assert endpoint.stats.ws_upgrade_attempts == 1


@pytest.mark.proxies
def test_through_microsocks(
    endpoint: FakeEndpoint, trust: ssl.SSLContext, socks_proxy: MicroSocks
) -> None:
    assert socks_proxy.url.startswith("socks5://127.0.0.1:")
    with http_client(trust, proxy=socks_proxy.url) as client:
        assert client.post(endpoint.responses_url, content=b"{}").status_code == 200
    with ws_connect(endpoint.ws_url, ssl=trust, proxy=socks_proxy.url, open_timeout=5) as ws:
        assert ws.ping().wait(2)
    assert wait_until(lambda: endpoint.stats.close_codes_received == [1000])
    assert endpoint.stats.posts == 1


def test_dead_proxy_refuses(
    dead_proxy_url: str, endpoint: FakeEndpoint, trust: ssl.SSLContext
) -> None:
    with http_client(trust, proxy=dead_proxy_url) as client, pytest.raises(httpx.ConnectError):
        client.get(endpoint.responses_url)
    assert endpoint.stats.connections == 0


@pytest.mark.proxies
def test_ws_only_from_answers_upgrades_through_the_proxy_and_swallows_direct_ones(
    endpoint: FakeEndpoint, trust: ssl.SSLContext
) -> None:
    endpoint.ws_only_from = frozenset({"127.0.0.2"})
    with (
        TinyProxy(outgoing="127.0.0.2") as proxy,
        ws_connect(endpoint.ws_url, ssl=trust, proxy=proxy.url, open_timeout=5) as ws,
    ):
        assert ws.ping().wait(2)
    with pytest.raises(TimeoutError):
        ws_connect(endpoint.ws_url, ssl=trust, proxy=None, open_timeout=SHORT_S)
    with http_client(trust) as client:  # plain HTTP stays served to everyone
        assert client.post(endpoint.responses_url, content=b"{}").status_code == 200
    assert [(s.peer, s.websocket) for s in endpoint.stats.seen][:2] == [
        ("127.0.0.2", True),
        ("127.0.0.1", True),
    ]
    assert endpoint.stats.seen[-1].method == "POST"
    times = [s.at for s in endpoint.stats.seen]
    assert times == sorted(times) and times[0] > 0


@pytest.mark.proxies
def test_proxies_resolve_a_name_only_they_know(
    harness_ca: trustme.CA, trust: ssl.SSLContext
) -> None:
    name = "only-the-proxy.codex-link.test"
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo(name, 443)  # the machine does not know it
    with FakeEndpoint(tls=True, ca=harness_ca, server_name=name) as server:
        assert server.base_url.startswith(f"https://{name}:")
        hosts = {name: "127.0.0.1"}
        with (
            proxy_running(lambda: TinyProxy(hosts=hosts)) as tiny,
            http_client(trust, proxy=tiny.url) as client,
        ):  # certificate checked for name
            assert client.post(server.responses_url, content=b"{}").status_code == 200
            # the machine's own names still resolve there: its hosts file is kept
            local = f"https://localhost:{server.port}/v1/responses"
            assert client.get(local).status_code == 200
        with proxy_running(lambda: MicroSocks(hosts=hosts)) as socks:
            remote_dns = socks.url.replace("socks5://", "socks5h://")
            with ws_connect(server.ws_url, ssl=trust, proxy=remote_dns, open_timeout=5) as ws:
                assert ws.ping().wait(2)
            assert f"connected to {name}:{server.port}" in socks.log_text()
        assert server.stats.posts == 1
        assert server.stats.ws_upgrade_attempts == 1
