"""Time from the start of a check to its verdict, per failure, next to `codex doctor`.

The tray is only useful if it knows before the user starts Codex. Targets (DESIGN "Verdicts"):
a fast failure (refused, 401/403/426 answer, proxy login, untrusted TLS, 101-then-1008) gives
its final verdict within 1 s; a blackholed WebSocket gives a provisional amber within 3 s and
the final word at Codex's own connect timeout (15 s by default).

Every scenario runs on loopback against the harness endpoint (real TLS, real tinyproxy), the
way Codex would reach it: a CODEX_HOME whose config.toml sets `openai_base_url` to the
endpoint, CODEX_CA_CERTIFICATE for its CA, proxies in the environment. The same scenario is
then given to the real Codex CLI, `codex doctor --network-only --json` (its time includes
starting the process, about 0.3 s). Our times are in-process, as in the tray.

Run: `python -m bench.time_to_verdict [--runs 5] [--scenarios a,b] [--no-doctor]
[--ws-timeout-ms MS]`. Prints a markdown table, saves bench/out/time_to_verdict.json, and exits
1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import trustme

from codex_link.core.check import build_checker
from codex_link.core.codex.doctor import parse_doctor_json
from codex_link.core.files.json_file import write_json_file
from codex_link.core.model.probe import Transport
from codex_link.core.model.report import CheckReport
from tests.harness.codex_cli import find_codex_cli
from tests.harness.endpoint import Behaviour, FakeEndpoint
from tests.harness.netns import codex_netns
from tests.harness.proxies import ConnectMode, TinyProxy, dead_port

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "time_to_verdict.json"
FAST_TARGET_S = 1.0
PROVISIONAL_TARGET_S = 3.0
SCHEDULING_SLACK_S = 0.1  # the provisional deadline is 3 s by definition; this is event-loop slack
FINAL_SLACK_S = 1.0  # the final word may come this long after Codex's connect timeout
DOCTOR_TIMEOUT_S = 90.0


@dataclass
class Harness:
    endpoint: FakeEndpoint
    ca_pem: Path
    auth_proxy: TinyProxy
    dead_proxy: str


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    ws_behaviour: Behaviour = Behaviour.OK
    proxies: Callable[[Harness], dict[str, str]] = field(default=lambda _h: {})
    trust_ca: bool = True
    blackhole: bool = False


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "refused",
        "WebSocket's proxy (HTTP_PROXY) not running: connection refused",
        proxies=lambda h: {"HTTP_PROXY": h.dead_proxy},
    ),
    Scenario(
        "upgrade_403",
        "upgrade answered 403 without a login (a working route)",
        ws_behaviour=Behaviour.UPGRADE_403,
    ),
    Scenario(
        "upgrade_426",
        "upgrade answered 426 (Codex falls back at once)",
        ws_behaviour=Behaviour.UPGRADE_426,
    ),
    Scenario(
        "proxy_407",
        "WebSocket's proxy wants a login (407)",
        proxies=lambda h: {"HTTP_PROXY": h.auth_proxy.url},
    ),
    Scenario("tls_untrusted", "certificate not trusted (no CODEX_CA_CERTIFICATE)", trust_ca=False),
    Scenario(
        "close_1008",
        "101, then closed at once with 1008 (policy)",
        ws_behaviour=Behaviour.CLOSE_1008,
    ),
    Scenario(
        "blackhole",
        "WebSocket blackholed (TLS done, request read, no answer)",
        ws_behaviour=Behaviour.BLACKHOLE,
        blackhole=True,
    ),
)


@dataclass
class Timing:
    verdict: str
    final_s: float
    provisional_s: float | None
    ws_failure: str | None


@dataclass
class DoctorTiming:
    seconds: float
    websocket: str | None
    overall: str | None


@dataclass
class Row:
    scenario: str
    what: str
    verdict: str
    ws_failure: str | None
    final_median_s: float
    provisional_median_s: float | None
    doctor_median_s: float | None
    doctor_websocket: str | None
    target: str
    met: bool
    runs: list[Timing]
    doctor_runs: list[DoctorTiming]


def config_text(base_url: str, ws_timeout_ms: int | None) -> str:
    if ws_timeout_ms is None:
        return f'openai_base_url = "{base_url}"\n'  # the built-in provider, Codex's defaults
    return (
        'model_provider = "bench"\n\n[model_providers.bench]\nname = "Bench"\n'
        f'base_url = "{base_url}"\nwire_api = "responses"\nsupports_websockets = true\n'
        f"websocket_connect_timeout_ms = {ws_timeout_ms}\n"
    )


def scenario_env(harness: Harness, scenario: Scenario, home: Path) -> dict[str, str]:
    env = {
        "HOME": str(home),
        "CODEX_HOME": str(home / ".codex"),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
    }
    if scenario.trust_ca:
        env["CODEX_CA_CERTIFICATE"] = str(harness.ca_pem)
    env.update(scenario.proxies(harness))
    return env


def time_check(env: dict[str, str]) -> Timing:
    checker = build_checker(env, system_proxy=lambda: None, local_proxy_ports=())
    provisional: list[float] = []

    async def one() -> CheckReport:
        return await checker.run(
            on_provisional=lambda _r: provisional.append(time.perf_counter() - start)
        )

    start = time.perf_counter()
    report = asyncio.run(one())
    final = time.perf_counter() - start
    ws = report.primary_for(Transport.WEBSOCKET)
    failure = ws.failure.value if ws is not None and ws.failure is not None else None
    if failure is not None and ws is not None and ws.status is not None:
        failure += f" {ws.status}"
    return Timing(
        report.verdict.health.value, final, provisional[0] if provisional else None, failure
    )


def time_doctor(binary: Path, env: dict[str, str]) -> DoctorTiming:
    start = time.perf_counter()
    with subprocess.Popen(
        [str(binary), "doctor", "--network-only", "--json"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, _ = proc.communicate(timeout=DOCTOR_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=5)
            return DoctorTiming(time.perf_counter() - start, "did not finish", None)
    seconds = time.perf_counter() - start
    report = parse_doctor_json(stdout)
    if report is None:
        return DoctorTiming(seconds, None, None)
    return DoctorTiming(seconds, report.websocket_summary, report.overall_status)


def target_for(scenario: Scenario, timeout_s: float) -> str:
    if scenario.blackhole:
        return (
            f"provisional <= {PROVISIONAL_TARGET_S:g} s, final at the {timeout_s:g} s "
            "connect timeout"
        )
    return f"final <= {FAST_TARGET_S:g} s"


def met(scenario: Scenario, final_s: float, provisional_s: float | None, timeout_s: float) -> bool:
    if scenario.blackhole:
        return (
            provisional_s is not None
            and provisional_s <= PROVISIONAL_TARGET_S + SCHEDULING_SLACK_S
            and timeout_s <= final_s <= timeout_s + FINAL_SLACK_S
        )
    return final_s <= FAST_TARGET_S


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def run_scenario(
    harness: Harness, scenario: Scenario, runs: int, binary: Path | None, ws_timeout_ms: int | None
) -> Row:
    endpoint = harness.endpoint
    endpoint.ws_behaviour = scenario.ws_behaviour
    endpoint.http_behaviour = Behaviour.OK
    home = Path(tempfile.mkdtemp(prefix="codex-link-bench-"))
    try:
        (home / ".codex").mkdir()
        (home / ".codex" / "config.toml").write_text(
            config_text(endpoint.base_url, ws_timeout_ms), encoding="utf-8"
        )
        env = scenario_env(harness, scenario, home)
        timings = [time_check(env) for _ in range(runs)]
        doctor = [time_doctor(binary, env) for _ in range(runs)] if binary is not None else []
    finally:
        shutil.rmtree(home, ignore_errors=True)
    timeout_s = (ws_timeout_ms if ws_timeout_ms is not None else 15_000) / 1000.0
    final = median([t.final_s for t in timings])
    provisionals = [t.provisional_s for t in timings if t.provisional_s is not None]
    provisional = median(provisionals) if len(provisionals) == len(timings) else None
    return Row(
        scenario=scenario.name,
        what=scenario.what,
        verdict=statistics.mode(t.verdict for t in timings),
        ws_failure=statistics.mode(t.ws_failure for t in timings),
        final_median_s=final,
        provisional_median_s=provisional,
        doctor_median_s=median([d.seconds for d in doctor]) if doctor else None,
        doctor_websocket=doctor[0].websocket if doctor else None,
        target=target_for(scenario, timeout_s),
        met=met(scenario, final, provisional, timeout_s),
        runs=timings,
        doctor_runs=doctor,
    )


@contextlib.contextmanager
def harness() -> Iterator[Harness]:
    ca = trustme.CA()
    with FakeEndpoint(tls=True, ca=ca) as endpoint, TinyProxy(ConnectMode.AUTH) as auth:
        assert endpoint.ca_pem_path is not None
        yield Harness(endpoint, endpoint.ca_pem_path, auth, f"http://127.0.0.1:{dead_port()}")


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(rows: Sequence[Row], runs: int) -> str:
    lines = [
        f"Median of {runs} runs; seconds from the start of a check to its verdict.",
        "",
        "| scenario | verdict | WS failure | provisional | final | codex doctor "
        "--network-only | doctor's WebSocket row | target | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.scenario} | {r.verdict} | {r.ws_failure or '-'} | "
            f"{_s(r.provisional_median_s)} | {_s(r.final_median_s)} | "
            f"{_s(r.doctor_median_s)} | {r.doctor_websocket or '-'} | {r.target} | "
            f"{'yes' if r.met else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.time_to_verdict",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario (median)")
    parser.add_argument(
        "--scenarios",
        default="",
        help=f"comma-separated subset of: {', '.join(s.name for s in SCENARIOS)}",
    )
    parser.add_argument("--no-doctor", action="store_true", help="skip codex doctor")
    parser.add_argument(
        "--ws-timeout-ms",
        type=int,
        default=None,
        help="use a custom provider with this WebSocket connect timeout "
        "(default: the built-in provider, Codex's 15 s)",
    )
    args = parser.parse_args(argv)
    wanted = {n.strip() for n in args.scenarios.split(",") if n.strip()}
    chosen = [s for s in SCENARIOS if not wanted or s.name in wanted]
    if not chosen or args.runs < 1:
        parser.error("nothing to run")
    binary = None if args.no_doctor else find_codex_cli()
    if binary is None and not args.no_doctor:
        print("codex CLI not found: the codex doctor column stays empty", file=sys.stderr)
    rows: list[Row] = []
    with harness() as h, codex_netns() as spaces:  # Codex's own look-ups stay on loopback
        if binary is not None:
            binary = spaces.shim(binary)
            print(f"Codex CLI: {spaces.describe()}", file=sys.stderr)
        for scenario in chosen:
            print(f"... {scenario.name}", file=sys.stderr, flush=True)
            rows.append(run_scenario(h, scenario, args.runs, binary, args.ws_timeout_ms))
    print(table(rows, args.runs))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_json_file(
        OUT,
        {
            "runs": args.runs,
            "ws_timeout_ms": args.ws_timeout_ms,
            "codex": str(binary) if binary else None,
            "rows": [asdict(r) for r in rows],
        },
    )
    print(f"\nsaved {OUT.relative_to(REPO)}")
    return 0 if all(r.met for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
