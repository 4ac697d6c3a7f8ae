"""PAC files served for real on loopback and run through pypac."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from codex_link.core.net.proxy_pac import PAC_DIRECT, first_pac_proxy, pac_proxy_for

PAC_SCRIPT = """
function FindProxyForURL(url, host) {
    if (isPlainHostName(host) || dnsDomainIs(host, ".lan")) return "DIRECT";
    if (shExpMatch(url, "https:*") && dnsDomainIs(host, "chatgpt.com"))
        return "PROXY 127.0.0.1:7890; SOCKS5 127.0.0.1:7891; DIRECT";
    return "SOCKS5 127.0.0.1:7891";
}
"""

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/proxy.pac": (200, "application/x-ns-proxy-autoconfig", PAC_SCRIPT.encode()),
    "/plain.pac": (200, "text/plain; charset=utf-8", PAC_SCRIPT.encode()),
    "/broken.pac": (200, "application/x-ns-proxy-autoconfig", b"function FindProxyForURL( {"),
    "/image.png": (200, "image/png", b"\x89PNG"),
}


class PacHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.pac":
            time.sleep(8)  # far past the 0.5 s the test allows, so the cut-off shows
        status, content_type, body = ROUTES.get(self.path, (404, "text/plain", b"missing"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def pac_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), PacHandler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize(
    ("path", "target", "expected"),
    [
        ("/proxy.pac", "https://chatgpt.com/backend-api/codex/responses", "http://127.0.0.1:7890"),
        ("/proxy.pac", "wss://chatgpt.com/backend-api/codex/responses", "http://127.0.0.1:7890"),
        ("/proxy.pac", "https://api.openai.com/v1/responses", "socks5://127.0.0.1:7891"),
        ("/proxy.pac", "https://gpu.lan/v1/responses", PAC_DIRECT),
        ("/plain.pac", "https://chatgpt.com/x", "http://127.0.0.1:7890"),  # served as text/plain
    ],
)
async def test_pac_answers_per_target(
    pac_server: str, path: str, target: str, expected: str
) -> None:
    assert await pac_proxy_for(pac_server + path, target, timeout_s=5) == expected


@pytest.mark.parametrize("path", ["/broken.pac", "/missing.pac", "/image.png"])
async def test_unusable_pac_files_give_no_answer(pac_server: str, path: str) -> None:
    assert await pac_proxy_for(pac_server + path, "https://chatgpt.com/", timeout_s=5) is None


async def test_a_slow_pac_server_is_cut_off(pac_server: str) -> None:
    started = time.monotonic()
    assert (
        await pac_proxy_for(pac_server + "/slow.pac", "https://chatgpt.com/", timeout_s=0.5) is None
    )
    assert time.monotonic() - started < 5  # the timeout, with room for a loaded machine


async def test_a_pac_file_on_disk(tmp_path: Path) -> None:
    script = tmp_path / "my proxy.pac"
    script.write_text(PAC_SCRIPT)
    assert (
        await pac_proxy_for(script.as_uri(), "https://chatgpt.com/", timeout_s=5)
        == "http://127.0.0.1:7890"
    )


async def test_nothing_listening_gives_no_answer() -> None:
    assert (
        await pac_proxy_for("http://127.0.0.1:9/proxy.pac", "https://chatgpt.com/", timeout_s=2)
        is None
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("PROXY a:1; DIRECT", "http://a:1"),
        ("HTTPS a:443", "https://a:443"),
        ("SOCKS a:1080", "socks5://a:1080"),
        ("  DIRECT  ", PAC_DIRECT),
        ("PROXY; PROXY b:2", "http://b:2"),
        ("", None),
        ("NONSENSE x", None),
    ],
)
def test_first_entry_of_a_pac_answer(answer: str, expected: str | None) -> None:
    assert first_pac_proxy(answer) == expected
