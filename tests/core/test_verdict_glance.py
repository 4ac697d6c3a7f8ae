"""The verdict read at a glance: a few words, one line of why, one of what to do."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.probe import Failure, Route, RouteKind, Transport
from codex_link.core.model.snapshot import Snapshot
from codex_link.core.model.text import Text
from codex_link.core.model.verdict import AdviceKind, Health
from codex_link.core.verdict import decide
from tests import factories as f


@pytest.mark.parametrize(
    "snapshot",
    [f.ready_ws(), f.ws_blocked(), f.ready_http_only(), f.down(), f.checking_snapshot()],
    ids=["ready_ws", "ws_blocked", "http_only", "down", "checking"],
)
def test_every_verdict_has_a_short_title(snapshot: Snapshot) -> None:
    title = snapshot.verdict.title
    assert title is not None and len(str(title)) <= 40


def test_blocked_title_and_why_carry_no_jargon() -> None:
    verdict = f.ws_blocked().verdict
    assert str(verdict.title) == "Codex will start slowly"
    why = str(verdict.why)
    assert "111 s" in why or " s at each start" in why
    assert "(" not in why and "code" not in why


def test_down_behind_a_dead_proxy_says_to_start_it_and_not_to_switch() -> None:
    verdict = f.down().verdict
    action = next(a for a in verdict.advice if a.kind is AdviceKind.FIX_NETWORK)
    assert "Start your proxy program" in str(action.message)
    assert "HTTPS_PROXY" in str(action.message)
    assert "would not help" in str(action.message)


def test_down_on_a_local_base_url_leads_with_the_config_hint() -> None:
    http = f.probe(Transport.HTTP, Failure.TCP_REFUSED, ms=2)
    http = dataclasses.replace(
        http, url="http://127.0.0.1:7890/v1/responses", route=Route(RouteKind.DIRECT)
    )
    hint = Finding(
        "loopback_base_url",
        Severity.WARNING,
        Text("openai_base_url sends Codex to http://127.0.0.1:7890/v1"),
        Path("config.toml"),
    )
    verdict = decide(
        http,
        None,
        (f.probe(Transport.HTTP, route=Route(RouteKind.DIRECT)),),
        provider=f.OPENAI,
        http_only=False,
        findings=(hint,),
    )
    assert verdict.health is Health.DOWN
    assert verdict.advice[0].kind is AdviceKind.FIX_CONFIG
    assert "openai_base_url" in str(verdict.advice[0].message)
    assert "127.0.0.1:7890" in str(verdict.advice[1].message)  # start the local proxy there
