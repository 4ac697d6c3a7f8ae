"""The verdict rules, as a table: what the user is told for each combination of results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from codex_link.core.model.findings import Finding, Severity
from codex_link.core.model.probe import (
    Failure,
    ProbeResult,
    Route,
    RouteKind,
    RouteSource,
    SourceKind,
    SystemSettings,
    Transport,
)
from codex_link.core.model.text import text
from codex_link.core.model.verdict import AdviceKind, Health
from codex_link.core.verdict import SENTENCES, Tell, decide, failure_words
from tests import factories as f
from tests.catalog import marked

OPENAI = f.OPENAI
DIRECT = f.DIRECT
SYSTEM_SETTINGS = RouteSource(SourceKind.SYSTEM, settings=SystemSettings.WINDOWS)
SYSTEM = Route(RouteKind.SYSTEM_PROXY, "http://alice:s3cret@127.0.0.1:3128", SYSTEM_SETTINGS)
ENV = Route(
    RouteKind.ENV_PROXY,
    "http://127.0.0.1:8080",
    RouteSource(SourceKind.ENVIRONMENT, variable="HTTPS_PROXY"),
)
HTTPS_SYSTEM = Route(RouteKind.SYSTEM_PROXY, "https://127.0.0.1:3129", SYSTEM_SETTINGS)


def probe(transport: Transport, failure: Failure | None = None, **options: Any) -> ProbeResult:
    return f.probe(transport, failure, ms=40.0, started_at=1_700_000_000.0, **options)


def http(failure: Failure | None = None, **options: Any) -> ProbeResult:
    return probe(Transport.HTTP, failure, **options)


def ws(failure: Failure | None = None, **options: Any) -> ProbeResult:
    return probe(Transport.WEBSOCKET, failure, **options)


@dataclass
class Row:
    name: str
    http: ProbeResult | None
    ws: ProbeResult | None
    health: Health
    advice: tuple[AdviceKind, ...] = ()
    alternatives: tuple[ProbeResult, ...] = ()
    http_only: bool = False
    ws_pending: bool = False
    streak: int = 0
    provisional: bool = False
    findings: tuple[Finding, ...] = ()
    respect_system_proxy: bool = False
    extra: dict[str, object] = field(default_factory=dict)


BROKEN_CONFIG = Finding(
    "config_unreadable",
    Severity.ERROR,
    text("Codex cannot load config.toml (line 3)"),
    Path("config.toml"),
)
MINOR = Finding("unused_profile", Severity.WARNING, text("profile x is unused"))

ROWS = [
    Row("no result yet", None, None, Health.CHECKING),
    Row("http answered, ws still running", http(), None, Health.CHECKING),
    Row("both work", http(), ws(), Health.READY_WS),
    Row(
        "ws 401 without credentials is a working route",
        http(),
        ws(Failure.UPGRADE_STATUS, status=401),
        Health.READY_WS,
    ),
    Row(
        "ws 403 (Cloudflare) without credentials is a working route",
        http(),
        ws(Failure.UPGRADE_STATUS, status=403),
        Health.READY_WS,
    ),
    Row(
        "ws 401 to the deep check's login: Codex falls back",
        http(),
        ws(Failure.UPGRADE_STATUS, status=401, authenticated=True),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY,),
    ),
    Row(
        "ws blackholed",
        http(),
        ws(Failure.UPGRADE_TIMEOUT),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY,),
    ),
    Row(
        "ws silent past the provisional deadline",
        http(),
        None,
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY,),
        ws_pending=True,
        provisional=True,
    ),
    Row(
        "ws 1008 after 101",
        http(),
        ws(Failure.POLICY_CLOSE, close_code=1008),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY,),
    ),
    Row(
        "ws 426",
        http(),
        ws(Failure.UPGRADE_STATUS, status=426),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY,),
    ),
    Row(
        "system proxy carries ws: both route fixes",
        http(route=SYSTEM),
        ws(Failure.UPGRADE_TIMEOUT),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY, AdviceKind.RESPECT_SYSTEM_PROXY, AdviceKind.SET_ENV_PROXY),
        alternatives=(ws(route=SYSTEM), http(route=DIRECT)),
    ),
    Row(
        "https:// system proxy cannot go in HTTPS_PROXY for ws",
        http(route=HTTPS_SYSTEM),
        ws(Failure.UPGRADE_TIMEOUT),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY, AdviceKind.RESPECT_SYSTEM_PROXY),
        alternatives=(ws(route=HTTPS_SYSTEM),),
    ),
    Row(
        "respect_system_proxy already on: no advice to turn it on",
        http(),
        ws(Failure.UPGRADE_TIMEOUT),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY, AdviceKind.SET_ENV_PROXY),
        alternatives=(ws(route=SYSTEM),),
        respect_system_proxy=True,
    ),
    Row(
        "env proxy blocks ws, direct works",
        http(route=ENV),
        ws(Failure.PROXY_REJECTED, route=ENV),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY, AdviceKind.SET_ENV_PROXY),
        alternatives=(ws(route=DIRECT),),
    ),
    Row(
        "alternatives fail too: only the toggle",
        http(),
        ws(Failure.UPGRADE_TIMEOUT),
        Health.WS_BLOCKED,
        (AdviceKind.SWITCH_TO_HTTP_ONLY,),
        alternatives=(ws(Failure.UPGRADE_TIMEOUT, route=SYSTEM),),
    ),
    Row(
        "http-only, http works, ws fails",
        http(),
        ws(Failure.UPGRADE_TIMEOUT),
        Health.READY_HTTP_ONLY,
        http_only=True,
    ),
    Row(
        "http-only, ws works once: not yet",
        http(),
        ws(),
        Health.READY_HTTP_ONLY,
        http_only=True,
        streak=2,
    ),
    Row(
        "http-only, ws works 3 in a row: switch back?",
        http(),
        ws(),
        Health.READY_HTTP_ONLY,
        (AdviceKind.SWITCH_BACK,),
        http_only=True,
        streak=3,
    ),
    Row("http-only, ws not probed yet", http(), None, Health.READY_HTTP_ONLY, http_only=True),
    Row(
        "http through dead proxy",
        http(Failure.PROXY_REFUSED, route=ENV),
        ws(Failure.PROXY_REFUSED, route=ENV),
        Health.DOWN,
        (AdviceKind.FIX_NETWORK,),
    ),
    Row(
        "http fails, ws works: Codex answers over ws, its fallback is broken",
        http(Failure.PROXY_SCHEME, route=ENV),
        ws(route=ENV),
        Health.READY_WS,
        (AdviceKind.FIX_NETWORK,),
    ),
    Row(
        "http down in http-only mode too",
        http(Failure.TLS_UNTRUSTED),
        None,
        Health.DOWN,
        (AdviceKind.FIX_NETWORK,),
        http_only=True,
    ),
    Row(
        "http dns fails but direct alternative resolves",
        http(Failure.DNS, route=ENV),
        ws(Failure.DNS, route=ENV),
        Health.DOWN,
        (AdviceKind.FIX_NETWORK,),
        alternatives=(http(route=DIRECT),),
    ),
    Row(
        "nothing resolves",
        http(Failure.DNS),
        ws(Failure.DNS),
        Health.OFFLINE,
        alternatives=(http(Failure.DNS, route=SYSTEM), ws(Failure.DNS, route=SYSTEM)),
    ),
    Row("nothing resolves, ws still running", http(Failure.DNS), None, Health.OFFLINE),
    Row(
        "config error comes first",
        http(),
        ws(Failure.UPGRADE_TIMEOUT),
        Health.WS_BLOCKED,
        (AdviceKind.FIX_CONFIG, AdviceKind.SWITCH_TO_HTTP_ONLY),
        findings=(BROKEN_CONFIG, MINOR),
    ),
    Row(
        "config error even when all works",
        http(),
        ws(),
        Health.READY_WS,
        (AdviceKind.FIX_CONFIG,),
        findings=(BROKEN_CONFIG,),
    ),
    Row("warnings are not advice", http(), ws(), Health.READY_WS, findings=(MINOR,)),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_verdict_table(row: Row) -> None:
    verdict = decide(
        row.http,
        row.ws,
        row.alternatives,
        provider=OPENAI,
        http_only=row.http_only,
        ws_pending=row.ws_pending,
        ws_healthy_streak=row.streak,
        findings=row.findings,
        respect_system_proxy=row.respect_system_proxy,
    )
    assert verdict.health is row.health
    assert tuple(a.kind for a in verdict.advice) == row.advice
    assert verdict.provisional is row.provisional
    assert str(verdict.headline).strip()


def test_down_never_offers_the_toggle_and_names_the_proxy() -> None:
    verdict = decide(
        http(Failure.PROXY_AUTH, route=SYSTEM, status=407), ws(), provider=OPENAI, http_only=False
    )
    words = " ".join([str(verdict.headline), *(str(a.message) for a in verdict.advice)])
    assert "407" in words and "127.0.0.1:3128" in words
    assert "s3cret" not in words  # the proxy password never reaches the screen
    assert AdviceKind.SWITCH_TO_HTTP_ONLY not in {a.kind for a in verdict.advice}


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (Failure.DNS, "DNS"),
        (Failure.PROXY_REFUSED, "proxy"),
        (Failure.PROXY_AUTH, "password"),
        (Failure.TLS_UNTRUSTED, "certificate"),
        (Failure.TLS_OTHER, "TLS"),
        (Failure.TCP_REFUSED, "refused"),
        (Failure.HTTP_TIMEOUT, "in time"),
    ],
)
def test_down_headline_names_the_stage(failure: Failure, words: str) -> None:
    # A direct route that resolves shows the network is up (else DNS alone means offline).
    verdict = decide(
        http(failure, route=ENV), None, (http(route=DIRECT),), provider=OPENAI, http_only=False
    )
    assert verdict.health is Health.DOWN
    assert words in str(verdict.headline)


def test_blackholed_ws_says_how_long_codex_would_wait() -> None:
    verdict = decide(http(), ws(Failure.UPGRADE_TIMEOUT), provider=OPENAI, http_only=False)
    assert verdict.expected_wait_s is not None and 100 <= verdict.expected_wait_s <= 120
    assert f"{round(verdict.expected_wait_s)} s" in str(verdict.headline)


def test_426_says_codex_does_not_wait() -> None:
    verdict = decide(
        http(), ws(Failure.UPGRADE_STATUS, status=426), provider=OPENAI, http_only=False
    )
    assert verdict.expected_wait_s == 0.0
    assert "at once" in str(verdict.headline)


def test_route_fix_names_the_working_proxy_without_its_password() -> None:
    verdict = decide(
        http(route=SYSTEM),
        ws(Failure.UPGRADE_TIMEOUT),
        (ws(route=SYSTEM),),
        provider=OPENAI,
        http_only=False,
    )
    env_fix = next(a for a in verdict.advice if a.kind is AdviceKind.SET_ENV_PROXY)
    assert "HTTPS_PROXY=http://***@127.0.0.1:3128" in str(env_fix.message)
    assert all("s3cret" not in str(a.message) for a in verdict.advice)


def test_same_proxy_twice_gives_one_advice() -> None:
    verdict = decide(
        http(),
        ws(Failure.UPGRADE_TIMEOUT),
        (ws(route=SYSTEM), ws(route=SYSTEM)),
        provider=OPENAI,
        http_only=False,
    )
    kinds = [a.kind for a in verdict.advice]
    assert kinds.count(AdviceKind.SET_ENV_PROXY) == 1


def test_every_failure_has_plain_words() -> None:
    for failure in Failure:
        assert str(failure_words(ws(failure, status=500, close_code=1008))).strip()


def test_an_unsigned_refusal_says_the_login_was_not_checked() -> None:
    verdict = decide(
        http(), ws(Failure.UPGRADE_STATUS, status=401), provider=OPENAI, http_only=False
    )
    assert verdict.health is Health.READY_WS
    assert "not checked" in str(verdict.headline) and "deep check" in str(verdict.headline)


def test_a_refused_login_is_a_short_wait_not_the_route_works() -> None:
    """The real Codex CLI: 7 attempts against a 401, then HTTP, about 6.5 s in all."""
    verdict = decide(
        http(),
        ws(Failure.UPGRADE_STATUS, status=401, authenticated=True),
        provider=OPENAI,
        http_only=False,
    )
    assert verdict.health is Health.WS_BLOCKED
    assert verdict.expected_wait_s is not None and 5.0 < verdict.expected_wait_s < 8.0
    assert "route works" not in str(verdict.headline)


def test_down_says_codex_would_hang() -> None:
    verdict = decide(
        http(Failure.PROXY_REFUSED), ws(Failure.PROXY_REFUSED), provider=OPENAI, http_only=False
    )
    assert verdict.health is Health.DOWN
    assert "hang" in str(verdict.headline)


def test_every_sentence_of_the_verdict_is_in_its_table() -> None:
    """No sentence is written inline in a rule: every headline, title, why and advice of the
    table above is a template of SENTENCES (or the finding it passes on), all marked."""
    assert set(SENTENCES) == set(Tell)
    assert set(SENTENCES.values()) <= marked()  # lupdate extracted them
    for row in ROWS:
        verdict = decide(
            row.http,
            row.ws,
            row.alternatives,
            provider=OPENAI,
            http_only=row.http_only,
            ws_pending=row.ws_pending,
            ws_healthy_streak=row.streak,
            findings=row.findings,
            respect_system_proxy=row.respect_system_proxy,
        )
        allowed = {*SENTENCES.values(), *(finding.message.template for finding in row.findings)}
        said = [verdict.headline, verdict.title, verdict.why, *(a.message for a in verdict.advice)]
        assert {t.template for t in said if t is not None} <= allowed, row.name
