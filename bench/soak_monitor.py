"""Soak test of the always-on monitor: thousands of check cycles while the network misbehaves.

The tray app runs for weeks; a leak of a few kilobytes per check, one exception that kills the
loop, or one check that never ends would show up as a frozen or bloated tray. This runs the
real Monitor with the real Checker against the loopback TLS endpoint, changing the endpoint's
fault modes at random after every check (mostly the fast ones: refusals, resets, garbage,
401/403/426 upgrade answers, 101-then-close; now and then a blackhole bounded by a short probe
timeout), and now and then a "Check now", a network change or a config edit that flips
HTTP-only. It reports:

- cycles, wall time, exceptions that escaped (must be 0) and checks that failed inside (turned
  into "could not check" results by the monitor; expected 0 with a well-behaved checker),
- RSS after a warm-up and at the end (growth must stay <= 10 MB),
- the longest cycle against its bound (the monitor's per-check time limit).

Run: `python -m bench.soak_monitor [--cycles 2000]` (exit code 1 if a target is missed).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import trustme

from codex_link.core.check import build_checker
from codex_link.core.codex.home import resolve_codex_home
from codex_link.core.codex.switch.toggle import HttpOnlySwitch
from codex_link.core.history import HistoryStore
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.verdict import Health
from codex_link.core.monitor import Monitor, Schedule
from codex_link.core.prefs import Prefs
from tests.harness.endpoint import Behaviour, FakeEndpoint

RSS_BUDGET_MB = 10.0

# (behaviour, weight) for the WebSocket upgrade and for plain HTTP; blackholes are rare
# because each one costs a whole probe timeout.
WS_FAULTS = [
    (Behaviour.OK, 30),
    (Behaviour.UPGRADE_401, 10),
    (Behaviour.UPGRADE_403, 5),
    (Behaviour.UPGRADE_426, 10),
    (Behaviour.CLOSE_1008, 10),
    (Behaviour.RESET, 12),
    (Behaviour.GARBAGE, 12),
    (Behaviour.SLOW, 8),
    (Behaviour.BLACKHOLE, 3),
]
HTTP_FAULTS = [
    (Behaviour.OK, 70),
    (Behaviour.RESET, 8),
    (Behaviour.GARBAGE, 8),
    (Behaviour.UPGRADE_403, 6),
    (Behaviour.SLOW, 6),
    (Behaviour.BLACKHOLE, 2),
]


def _pick(rng: random.Random, table: list[tuple[Behaviour, int]]) -> Behaviour:
    return rng.choices([b for b, _ in table], weights=[w for _, w in table])[0]


class _Counter(logging.Handler):
    """Counts error records (a check failing inside the monitor logs one)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = self.format(record)


@dataclass
class _Tally:
    cycles: int = 0
    started: float | None = None
    longest_s: float = 0.0
    over_bound: int = 0
    rss_warm: int = 0
    rss_samples: list[tuple[int, float]] = field(default_factory=list)  # (cycle, MB)
    healths: dict[Health, int] = field(default_factory=dict)


def _rss() -> int:
    gc.collect()
    return int(psutil.Process().memory_info().rss)


def _configs(base_url: str) -> tuple[str, str]:
    ws_on = f'openai_base_url = "{base_url}"\n'
    http_only = (
        'model_provider = "harness"\n\n[model_providers.harness]\nname = "Harness"\n'
        f'base_url = "{base_url}"\nwire_api = "responses"\nsupports_websockets = false\n'
    )
    return ws_on, http_only


async def _soak(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    errors = _Counter()
    logging.getLogger("codex_link").addHandler(errors)
    loop_errors: list[str] = []
    asyncio.get_running_loop().set_exception_handler(
        lambda _loop, ctx: loop_errors.append(str(ctx.get("message")))
    )

    with (
        tempfile.TemporaryDirectory(prefix="codex-link-soak-") as tmp,
        FakeEndpoint(tls=True, ca=trustme.CA()) as endpoint,
    ):
        root = Path(tmp)
        codex_home = root / "codex"
        codex_home.mkdir()
        config = codex_home / "config.toml"
        ws_on, http_only = _configs(endpoint.base_url)
        config.write_text(ws_on, encoding="utf-8")
        assert endpoint.ca_pem_path is not None
        env = {
            "HOME": str(root),
            "CODEX_HOME": str(codex_home),
            "CODEX_CA_CERTIFICATE": str(endpoint.ca_pem_path),
        }
        endpoint.delay_s = 0.05
        checker = build_checker(
            env,
            system_proxy=lambda: None,
            platform="linux",
            max_timeout_s=args.probe_timeout,
            local_proxy_ports=(),
        )
        switch = HttpOnlySwitch(resolve_codex_home(env), root / "state")
        history = HistoryStore(root / "data", maxlen=args.history)
        schedule = Schedule(
            min_interval_s=0.0, problem_interval_s=args.interval, check_timeout_s=args.bound
        )
        monitor = Monitor(
            checker,
            read_record=switch.store.load,
            history=history,
            prefs=Prefs(check_interval_s=args.interval),
            schedule=schedule,
            rng=random.Random(args.seed + 1),
        )
        tally = _Tally()
        done = asyncio.Event()

        def on_snapshot(snap: Snapshot) -> None:
            if done.is_set():
                return  # the check cut short by stop() is not a cycle
            if snap.checking:
                if tally.started is None:
                    tally.started = time.monotonic()
                return
            if tally.started is None:
                return  # a config change announced outside a check
            took = time.monotonic() - tally.started
            tally.started = None
            tally.cycles += 1
            tally.longest_s = max(tally.longest_s, took)
            tally.over_bound += took > args.bound + schedule.cancel_grace_s
            tally.healths[snap.verdict.health] = tally.healths.get(snap.verdict.health, 0) + 1
            if tally.cycles == args.warmup:
                tally.rss_warm = _rss()
            if tally.cycles % max(1, args.cycles // 10) == 0:
                tally.rss_samples.append((tally.cycles, _rss() / 2**20))
            if tally.cycles >= args.cycles:
                done.set()
                return
            endpoint.ws_behaviour = _pick(rng, WS_FAULTS)
            endpoint.http_behaviour = _pick(rng, HTTP_FAULTS)
            if tally.cycles % 100 == 0:
                endpoint.reset_stats()  # the endpoint's own request log is not ours to keep
            roll = rng.random()
            if roll < 0.02:
                config.write_text(
                    http_only if "harness" not in config.read_text() else ws_on, encoding="utf-8"
                )
                monitor.config_changed()
            elif roll < 0.04:
                monitor.network_changed()
            elif roll < 0.07:
                monitor.check_now()

        monitor.subscribe(on_snapshot)
        rss_start = _rss()
        began = time.monotonic()
        task = asyncio.create_task(monitor.run())
        escaped: BaseException | None = None
        try:
            waiter = asyncio.create_task(done.wait())
            await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
            if task.done():
                escaped = task.exception() or RuntimeError("the monitor loop ended by itself")
        finally:
            await monitor.stop()
            await asyncio.gather(task, return_exceptions=True)
        wall = time.monotonic() - began
        rss_end = _rss()
        leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]

    growth_mb = (rss_end - tally.rss_warm) / 2**20
    mb = 2**20
    print(
        "| cycles | wall time | RSS start | RSS after warm-up | RSS end | growth | "
        "max cycle (bound) | exceptions escaped | checks failed inside | loop errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {tally.cycles} | {wall:.1f} s | {rss_start / mb:.1f} MB | "
        f"{tally.rss_warm / mb:.1f} MB | {rss_end / mb:.1f} MB | {growth_mb:+.2f} MB | "
        f"{tally.longest_s:.2f} s ({args.bound:.1f} s) | {0 if escaped is None else 1} | "
        f"{errors.count} | {len(loop_errors)} |"
    )
    shown = ", ".join(f"{h}: {n}" for h, n in sorted(tally.healths.items()))
    print(
        f"\nshown after each cycle: {shown}; history kept {len(history)} points "
        f"(ring of {args.history}); tasks left after stop: {len(leftover)}"
    )
    samples = ", ".join(f"{c}: {m:.1f}" for c, m in tally.rss_samples)
    print(f"RSS (MB) by cycle: {samples}")
    if escaped is not None:
        print(f"escaped: {escaped!r}")
    if errors.first:
        print(f"first error logged: {errors.first}")
    if loop_errors:
        print(f"first loop error: {loop_errors[0]}")
    ok = (
        escaped is None
        and tally.cycles >= args.cycles
        and growth_mb <= RSS_BUDGET_MB
        and tally.over_bound == 0
        and not loop_errors
        and not leftover
    )
    print("\nresult:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak_monitor",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--cycles", type=int, default=2000)
    parser.add_argument(
        "--warmup", type=int, default=200, help="cycles before the RSS baseline is taken"
    )
    parser.add_argument(
        "--interval", type=float, default=0.01, help="seconds between checks (the app uses 60)"
    )
    parser.add_argument(
        "--probe-timeout",
        type=float,
        default=0.5,
        help="cap on every probe's timeout (Codex's own is 15 s)",
    )
    parser.add_argument(
        "--bound", type=float, default=5.0, help="the monitor's time limit for one check"
    )
    parser.add_argument("--history", type=int, default=500, help="history ring size")
    parser.add_argument("--seed", type=int, default=20261)
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    args.warmup = min(args.warmup, max(args.cycles - 1, 1))
    return asyncio.run(_soak(args))


if __name__ == "__main__":
    sys.exit(main())
