"""The last day or so of check outcomes, kept in memory and on disk for the history chart.

Memory is a ring buffer (`deque(maxlen=...)`), so it never grows past its bound. On disk it is
a JSON-lines file: each check appends one short line (cheap, and a crash loses at most that
line); when the file holds a good deal more lines than the ring, it is rewritten atomically
with only what the ring holds. Loading keeps every good line of a damaged or truncated file,
logs what it skipped, and rewrites the file so the next append starts on a clean line.
Failing to write history never stops the monitor: it is logged and the app goes on in memory.

Beside it, the same kind of file records each fix turned on or off (`FixLog`), by a click or
by auto mode, for the chart's markers.
"""

from __future__ import annotations

import json
import logging
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codex_link.core.auto_mode import FixChange
from codex_link.core.files.json_file import json_line
from codex_link.core.files.safe_write import ensure_dir, write_atomic
from codex_link.core.model.probe import Transport
from codex_link.core.model.report import CheckReport
from codex_link.core.model.snapshot import HistoryPoint
from codex_link.core.model.verdict import Health

log = logging.getLogger(__name__)

HISTORY_FILE = "history.jsonl"
DEFAULT_MAXLEN = 2048  # > 24 h at the default 60 s interval (1440 checks), with room to spare
COMPACT_SLACK = 512  # appended lines allowed beyond the ring before the file is rewritten
FIXES_FILE = "fixes.jsonl"
FIXES_MAXLEN = 256  # a fix is a rare event: this is weeks of them


def default_data_dir() -> Path:
    """The per-user data folder (platformdirs); imported lazily to keep start-up light."""
    import platformdirs

    return platformdirs.user_data_path("codex-link")


def point_from_report(report: CheckReport) -> HistoryPoint:
    """The chart's view of one check: outcome and latency of each transport on Codex's route."""
    http = report.primary_for(Transport.HTTP)
    ws = report.primary_for(Transport.WEBSOCKET)
    return HistoryPoint(
        at=report.finished_at,
        health=report.verdict.health,
        http_ok=http is not None and http.reachable,
        ws_ok=ws is not None and ws.reachable,
        http_ms=None if http is None else http.elapsed_ms,
        ws_ms=None if ws is None else ws.elapsed_ms,
    )


def point_to_json(point: HistoryPoint) -> str:
    return json_line(
        {
            "at": point.at,
            "health": str(point.health),
            "http_ok": point.http_ok,
            "ws_ok": point.ws_ok,
            "http_ms": point.http_ms,
            "ws_ms": point.ws_ms,
        }
    )


def _number(value: Any, *, optional: bool) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not finite: {value!r}")
    return number


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"not a boolean: {value!r}")
    return value


def point_from_json(line: str) -> HistoryPoint:
    """Parses one line; raises ValueError (or a subclass) for anything malformed."""
    raw = json.loads(line)
    if not isinstance(raw, dict):
        raise ValueError("not an object")
    at = _number(raw.get("at"), optional=False)
    assert at is not None
    return HistoryPoint(
        at=at,
        health=Health(str(raw.get("health"))),
        http_ok=_bool(raw.get("http_ok")),
        ws_ok=_bool(raw.get("ws_ok")),
        http_ms=_number(raw.get("http_ms"), optional=True),
        ws_ms=_number(raw.get("ws_ms"), optional=True),
    )


class JsonLinesRing[T]:
    """A bounded ring of records kept in a JSON-lines file; `path=None` keeps it in memory.

    `to_line` writes one record as one line; `from_line` parses one, raising ValueError (or
    TypeError) for anything malformed. `what` names the records in log lines.
    """

    def __init__(
        self,
        path: Path | None,
        *,
        to_line: Callable[[T], str],
        from_line: Callable[[str], T],
        what: str,
        maxlen: int,
        compact_slack: int,
    ) -> None:
        if maxlen < 1:
            raise ValueError("maxlen must be at least 1")
        self.path = path
        self._to_line = to_line
        self._from_line = from_line
        self._what = what
        self._items: deque[T] = deque(maxlen=maxlen)
        self._compact_slack = max(0, compact_slack)
        self._lines_on_disk = 0
        self._write_failed = False  # log a broken disk once, not at every record

    @property
    def maxlen(self) -> int:
        assert self._items.maxlen is not None
        return self._items.maxlen

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> tuple[T, ...]:
        return tuple(self._items)

    def load(self) -> int:
        """Reads the file (if any) into the ring; returns how many lines were skipped."""
        if self.path is None:
            return 0
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return 0
        except OSError as exc:
            log.warning("%s: cannot read %s: %s", self._what, self.path, exc)
            return 0
        text = data.decode("utf-8", errors="replace")
        lines = text.split("\n")
        # A file that does not end with a newline was cut off mid-line (crash, full disk).
        clean_end = lines[-1] == ""
        skipped = 0
        good = 0
        for line in lines:
            if not line.strip():
                continue
            try:
                self._items.append(self._from_line(line))
                good += 1
            except (ValueError, TypeError):
                skipped += 1
        if skipped:
            log.warning(
                "%s: skipped %d damaged line(s) in %s, kept %d",
                self._what,
                skipped,
                self.path,
                good,
            )
        self._lines_on_disk = good + skipped
        if skipped or not clean_end or self._lines_on_disk > self.maxlen:
            self.compact()
        return skipped

    def append(self, item: T) -> None:
        self._items.append(item)
        if self.path is None:
            return
        if self._lines_on_disk >= self.maxlen + self._compact_slack:
            self.compact()  # rewrites the ring, which already holds `item`
            return
        try:
            ensure_dir(self.path.parent)
            with self.path.open("a", encoding="utf-8", newline="\n") as handle:
                handle.write(self._to_line(item) + "\n")
            self._lines_on_disk += 1
            self._write_failed = False
        except OSError as exc:
            self._report_write_failure(exc)

    def compact(self) -> None:
        """Rewrites the file atomically with exactly what the ring holds."""
        if self.path is None:
            return
        data = "".join(self._to_line(item) + "\n" for item in self._items).encode("utf-8")
        try:
            ensure_dir(self.path.parent)
            write_atomic(self.path, data)
            self._lines_on_disk = len(self._items)
            self._write_failed = False
        except OSError as exc:
            self._report_write_failure(exc)

    def _report_write_failure(self, exc: OSError) -> None:
        if not self._write_failed:
            log.warning(
                "%s: cannot write %s (%s); keeping it in memory", self._what, self.path, exc
            )
        self._write_failed = True


class HistoryStore(JsonLinesRing[HistoryPoint]):
    """The bounded history of checks; `data_dir=None` keeps it in memory only."""

    def __init__(
        self,
        data_dir: Path | None,
        *,
        maxlen: int = DEFAULT_MAXLEN,
        compact_slack: int = COMPACT_SLACK,
    ) -> None:
        super().__init__(
            None if data_dir is None else data_dir / HISTORY_FILE,
            to_line=point_to_json,
            from_line=point_from_json,
            what="history",
            maxlen=maxlen,
            compact_slack=compact_slack,
        )

    def points(self) -> tuple[HistoryPoint, ...]:
        return self.items()


# --- the fixes turned on and off -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FixEvent:
    """A fix turned on or off, by a click or by auto mode: a marker on the chart."""

    at: float  # wall clock, epoch seconds
    change: FixChange
    automatic: bool


def event_to_json(event: FixEvent) -> str:
    return json_line({"at": event.at, "change": str(event.change), "automatic": event.automatic})


def event_from_json(line: str) -> FixEvent:
    """Parses one line; raises ValueError (or a subclass) for anything malformed."""
    raw = json.loads(line)
    if not isinstance(raw, dict):
        raise ValueError("not an object")
    at = _number(raw.get("at"), optional=False)
    assert at is not None
    return FixEvent(
        at=at, change=FixChange(str(raw.get("change"))), automatic=_bool(raw.get("automatic"))
    )


class FixLog(JsonLinesRing[FixEvent]):
    """The fixes of the last while, beside the history; `data_dir=None`: in memory only."""

    def __init__(self, data_dir: Path | None, *, maxlen: int = FIXES_MAXLEN) -> None:
        super().__init__(
            None if data_dir is None else data_dir / FIXES_FILE,
            to_line=event_to_json,
            from_line=event_from_json,
            what="fix log",
            maxlen=maxlen,
            compact_slack=maxlen,
        )

    def events(self) -> tuple[FixEvent, ...]:
        return self.items()
