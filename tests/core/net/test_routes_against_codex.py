"""The real Codex CLI judges the route rules.

`codex doctor` makes one WebSocket handshake and one HTTP request to the active provider. Here
the provider is a loopback port and the proxies are loopback listeners that record the first
bytes of each connection: Codex's WebSocket connector sends `CONNECT` with a
`Proxy-Connection` header, reqwest sends `CONNECT` without one, and a direct connection starts
with a TLS ClientHello. What Codex did must be what `codex_routes` says it does. Every case
gives reqwest a proxy for https, so no case reaches beyond loopback.
"""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from codex_link.core.model.probe import Route, RouteKind
from codex_link.core.net.routes import codex_routes

NAMES = ("A", "B", "C")


@dataclass
class Listeners:
    """Three proxy ports and the provider port, recording (port, first bytes) per connection."""

    ports: dict[str, int]
    target: int
    seen: list[tuple[int, bytes]] = field(default_factory=list)


@pytest.fixture
def listeners() -> Iterator[Listeners]:
    selector = selectors.DefaultSelector()
    sockets = []
    for _ in range(4):
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        server.setblocking(False)
        selector.register(server, selectors.EVENT_READ)
        sockets.append(server)
    ports = [s.getsockname()[1] for s in sockets]
    found = Listeners(ports=dict(zip(NAMES, ports[:3], strict=True)), target=ports[3])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            for key, _ in selector.select(timeout=0.05):
                server = key.fileobj
                assert isinstance(server, socket.socket)
                try:
                    conn, _ = server.accept()
                except BlockingIOError:
                    continue
                with conn:
                    conn.settimeout(1.0)
                    try:
                        data = conn.recv(400)
                    except OSError:
                        data = b""
                    found.seen.append((server.getsockname()[1], data))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join(timeout=5)
        for server in sockets:
            server.close()
        selector.close()


def _expand(values: dict[str, str], ports: dict[str, int]) -> dict[str, str]:
    return {key: value.format(**ports) for key, value in values.items()}


def _expected(route: Route) -> str:
    """What a listener sees for a route: 'direct', 'proxy:<port>', or 'none' (refused)."""
    if route.kind is RouteKind.DIRECT:
        return "direct"
    assert route.proxy_url is not None
    if "://" not in route.proxy_url:
        return "none"  # Codex's WebSocket refuses a proxy value without a scheme
    return "proxy:" + route.proxy_url.rsplit(":", 1)[1].rstrip("/")


CASES = [
    pytest.param(
        {"HTTPS_PROXY": "http://127.0.0.1:{A}", "https_proxy": "http://127.0.0.1:{B}"},
        {},
        id="uppercase-wins",
    ),
    pytest.param(
        {"HTTP_PROXY": "http://127.0.0.1:{A}", "ALL_PROXY": "http://127.0.0.1:{B}"},
        {},
        id="http_proxy-for-websocket-all_proxy-for-http",
    ),
    pytest.param({"HTTPS_PROXY": "127.0.0.1:{A}"}, {}, id="no-scheme"),
    pytest.param(
        {"HTTPS_PROXY": "http://127.0.0.1:{B}"},
        {"HTTPS_PROXY": "http://127.0.0.1:{A}"},
        id="dotenv-replaces-environment",
    ),
    pytest.param(
        {"HTTPS_PROXY": "http://127.0.0.1:{A}", "NO_PROXY": "127.0.0.1:{target}"},
        {},
        id="no_proxy-with-port",
    ),
    pytest.param(
        {"HTTPS_PROXY": "http://127.0.0.1:{A}", "NO_PROXY": "127.0.0.0/8"}, {}, id="no_proxy-cidr"
    ),
    pytest.param(
        {
            "HTTPS_PROXY": "",
            "https_proxy": "http://127.0.0.1:{B}",
            "HTTP_PROXY": "http://127.0.0.1:{A}",
            "ALL_PROXY": "http://127.0.0.1:{C}",
        },
        {},
        id="empty-uppercase-hides-lowercase",
    ),
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("env_values", "dotenv_values"), CASES)
def test_codex_connects_where_codex_routes_says(
    codex_bin: Path,
    tmp_path: Path,
    listeners: Listeners,
    env_values: dict[str, str],
    dotenv_values: dict[str, str],
) -> None:
    ports = {**listeners.ports, "target": listeners.target}
    env_case, dotenv_case = _expand(env_values, ports), _expand(dotenv_values, ports)
    base = f"https://127.0.0.1:{listeners.target}/v1"
    home = tmp_path / "codex-home"
    home.mkdir()
    (home / "config.toml").write_text(
        'model_provider = "probe"\n\n[model_providers.probe]\nname = "probe"\n'
        f'base_url = "{base}"\nwire_api = "responses"\nsupports_websockets = true\n'
    )
    (home / ".env").write_text("".join(f"{k}={v}\n" for k, v in dotenv_case.items()))
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(CODEX_HOME=str(home), TERM="xterm-256color", **env_case)

    subprocess.run(
        [str(codex_bin), "doctor", "--json"],
        env=env,
        capture_output=True,
        timeout=45,
        check=False,
        stdin=subprocess.DEVNULL,
    )

    routes = codex_routes(
        http_url=f"{base}/responses",
        ws_url=f"wss{base[5:]}/responses",
        env=env,
        dotenv=dotenv_case,
        system=None,
        respect_system_proxy=False,
        platform="linux",
    )
    connect = f"CONNECT 127.0.0.1:{listeners.target} ".encode()
    ws_seen = {
        f"proxy:{port}"
        for port, data in listeners.seen
        if data.startswith(connect) and b"Proxy-Connection" in data
    }
    http_seen = {
        f"proxy:{port}"
        for port, data in listeners.seen
        if data.startswith(connect) and b"Proxy-Connection" not in data
    }
    direct = sum(
        1
        for port, data in listeners.seen
        if port == listeners.target and data.startswith(b"\x16\x03")
    )

    expected_ws, expected_http = _expected(routes.websocket), _expected(routes.http)
    assert ws_seen == ({expected_ws} if expected_ws.startswith("proxy:") else set())
    assert http_seen == ({expected_http} if expected_http.startswith("proxy:") else set())
    assert direct == [expected_ws, expected_http].count("direct")
