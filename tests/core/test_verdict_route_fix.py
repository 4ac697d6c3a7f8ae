"""The verdict's route fixes and its watch on a proxy that stopped answering, as tables."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from codex_link.core.model.probe import (
    Failure,
    ProbeResult,
    Route,
    RouteKind,
    RouteSource,
    SourceKind,
    Stage,
    SystemSettings,
    Transport,
)
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from codex_link.core.model.verdict import AdviceKind, Health, Verdict
from codex_link.core.verdict import SENTENCES, decide
from tests import factories as f
from tests.catalog import marked

LOCAL = "http://127.0.0.1:7890"
SOCKS = "socks5h://127.0.0.1:10808"
LISTENING = Route(
    RouteKind.LOCAL_PROXY, LOCAL, RouteSource(SourceKind.LISTENING, address="127.0.0.1:7890")
)
SYSTEM = Route(
    RouteKind.SYSTEM_PROXY,
    f.PROXY_WITH_PASSWORD,
    RouteSource(SourceKind.SYSTEM, settings=SystemSettings.MACOS),
)
FROM_DOTENV = RouteSource(SourceKind.DOTENV, variable="HTTPS_PROXY")
DOTENV_PROXY = Route(RouteKind.ENV_PROXY, LOCAL, FROM_DOTENV)
ENV_PROXY = Route(RouteKind.ENV_PROXY, LOCAL, f.HTTPS_PROXY)
DOTENV_SOCKS = Route(
    RouteKind.ENV_PROXY, SOCKS, RouteSource(SourceKind.DOTENV, variable="HTTP_PROXY")
)
BOTH = RouteProposal(RouteMethod.DOTENV, LOCAL, ("HTTPS_PROXY",))
WS_ONLY = RouteProposal(RouteMethod.DOTENV, SOCKS, ("HTTP_PROXY",))
FOLLOW_SYSTEM = RouteProposal(RouteMethod.SYSTEM_PROXY, f.PROXY_WITH_PASSWORD)
ENV_SYSTEM = RouteProposal(RouteMethod.DOTENV, f.PROXY_WITH_PASSWORD, ("HTTPS_PROXY",))


def http(failure: Failure | None = None, **kw: Any) -> ProbeResult:
    return f.probe(Transport.HTTP, failure, **kw)


def ws(failure: Failure | None = None, **kw: Any) -> ProbeResult:
    return f.probe(Transport.WEBSOCKET, failure, **kw)


@dataclass
class Row:
    name: str
    http: ProbeResult
    ws: ProbeResult | None
    health: Health
    advice: tuple[AdviceKind, ...]
    alternatives: tuple[ProbeResult, ...] = ()
    proposals: tuple[RouteProposal, ...] = ()
    said: tuple[str, ...] = ()  # in the headline and the advice, in this order


def verdict_of(row: Row) -> Verdict:
    return decide(
        row.http,
        row.ws,
        row.alternatives,
        provider=f.OPENAI,
        http_only=False,
        proposals=row.proposals,
    )


BLOCKED = ws(Failure.UPGRADE_TIMEOUT, ms=15_000)
ROWS = [
    Row(
        "a found proxy that carries both: one click first, before HTTP only",
        http(),
        BLOCKED,
        Health.WS_BLOCKED,
        (AdviceKind.ROUTE_FIX, AdviceKind.SWITCH_TO_HTTP_ONLY),
        alternatives=(ws(route=LISTENING), http(route=LISTENING)),
        proposals=(BOTH,),
        said=("Send Codex through http://127.0.0.1:7890 (keeps WebSocket)",),
    ),
    Row(
        "a SOCKS proxy for the WebSocket only",
        http(),
        BLOCKED,
        Health.WS_BLOCKED,
        (AdviceKind.ROUTE_FIX, AdviceKind.SWITCH_TO_HTTP_ONLY),
        proposals=(WS_ONLY,),
        said=("Send Codex through socks5h://127.0.0.1:10808 (keeps WebSocket)",),
    ),
    Row(
        "the system proxy: its fixes replace the explanations, password hidden",
        http(route=SYSTEM),
        BLOCKED,
        Health.WS_BLOCKED,
        (AdviceKind.ROUTE_FIX, AdviceKind.ROUTE_FIX, AdviceKind.SWITCH_TO_HTTP_ONLY),
        alternatives=(ws(route=SYSTEM),),
        proposals=(FOLLOW_SYSTEM, ENV_SYSTEM),
        said=(
            "your system proxy http://***@127.0.0.1:3128 (keeps WebSocket)",
            "Send Codex through http://***@127.0.0.1:3128 (keeps WebSocket)",
        ),
    ),
    Row(
        "no proposal: the explanations stay",
        http(route=SYSTEM),
        BLOCKED,
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY, AdviceKind.RESPECT_SYSTEM_PROXY, AdviceKind.SET_ENV_PROXY),
        alternatives=(ws(route=SYSTEM),),
    ),
    Row(
        "a proposal for one route leaves another's explanation",
        http(route=SYSTEM),
        BLOCKED,
        Health.WS_BLOCKED,
        (
            AdviceKind.ROUTE_FIX,
            AdviceKind.SWITCH_TO_HTTP_ONLY,
            AdviceKind.RESPECT_SYSTEM_PROXY,
            AdviceKind.SET_ENV_PROXY,
        ),
        alternatives=(ws(route=SYSTEM), ws(route=LISTENING)),
        proposals=(BOTH,),
    ),
    Row(
        "the proxy in .env quit: every request fails, undo first",
        http(Failure.PROXY_REFUSED, route=DOTENV_PROXY),
        ws(Failure.PROXY_REFUSED, route=DOTENV_PROXY),
        Health.DOWN,
        (AdviceKind.UNDO_ROUTE_FIX, AdviceKind.FIX_NETWORK),
        said=(
            "The proxy http://127.0.0.1:7890 that Codex is set to use (HTTPS_PROXY "
            "($CODEX_HOME/.env)) is not answering: every Codex request fails",
            "Take HTTPS_PROXY=http://127.0.0.1:7890 out of $CODEX_HOME/.env",
        ),
    ),
    Row(
        "the proxy in .env is silent: the same",
        http(Failure.TCP_TIMEOUT, route=DOTENV_PROXY),
        None,
        Health.DOWN,
        (AdviceKind.UNDO_ROUTE_FIX, AdviceKind.FIX_NETWORK),
        said=("is not answering",),
    ),
    Row(
        "the proxy in the environment quit: nothing to undo in .env",
        http(Failure.PROXY_REFUSED, route=ENV_PROXY),
        ws(Failure.PROXY_REFUSED, route=ENV_PROXY),
        Health.DOWN,
        (AdviceKind.FIX_NETWORK,),
        said=("(HTTPS_PROXY (environment)) is not answering",),
    ),
    Row(
        "a proxy whose own connect onward hangs is answering",
        replace(http(Failure.TCP_TIMEOUT, route=DOTENV_PROXY), stage=Stage.PROXY),
        None,
        Health.DOWN,
        (AdviceKind.FIX_NETWORK,),
        said=("cannot reach its server",),
    ),
    Row(
        "the WebSocket's proxy in .env quit: HTTP works, undo first",
        http(),
        ws(Failure.PROXY_REFUSED, route=DOTENV_SOCKS),
        Health.WS_BLOCKED,
        (AdviceKind.UNDO_ROUTE_FIX, AdviceKind.SWITCH_TO_HTTP_ONLY),
        said=(
            "The proxy socks5h://127.0.0.1:10808 that Codex is set to use for WebSocket",
            "Take HTTP_PROXY=socks5h://127.0.0.1:10808 out of $CODEX_HOME/.env",
        ),
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_route_fix_table(row: Row) -> None:
    verdict = verdict_of(row)
    assert verdict.health is row.health
    assert tuple(a.kind for a in verdict.advice) == row.advice
    words = " | ".join(str(t) for t in (verdict.headline, *(a.message for a in verdict.advice)))
    at = 0
    for phrase in row.said:
        found = words.find(phrase, at)
        assert found >= 0, (phrase, words)
        at = found
    assert "s3cr3t" not in words  # the proxy's password never reaches the screen
    fixes = [a for a in verdict.advice if a.kind is AdviceKind.ROUTE_FIX]
    assert tuple(a.proposal for a in fixes) == row.proposals
    assert all(a.proposal is None for a in verdict.advice if a.kind is not AdviceKind.ROUTE_FIX)


def test_a_stale_proxy_is_said_at_a_glance() -> None:
    """The few words stay those of the health; the line of why names the proxy."""
    down = verdict_of(ROWS[5])
    assert str(down.title) == "Codex cannot connect" and down.why == down.headline
    slow = verdict_of(ROWS[-1])
    assert str(slow.title) == "Codex will start slowly" and slow.why == slow.headline


def test_every_sentence_is_in_the_table_and_marked() -> None:
    allowed = set(SENTENCES.values())
    assert allowed <= marked()
    for row in ROWS:
        verdict = verdict_of(row)
        said = [verdict.headline, verdict.title, verdict.why, *(a.message for a in verdict.advice)]
        assert {t.template for t in said if t is not None} <= allowed, row.name
