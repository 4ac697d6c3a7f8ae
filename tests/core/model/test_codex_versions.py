"""The per-version facts: the lookup for an installed version, and the table against the code
that still keeps its own copy of a fact."""

from __future__ import annotations

from pathlib import Path

import pytest

from codex_link.core.codex import findings
from codex_link.core.model.codex_settings import ProviderInfo
from codex_link.core.model.codex_versions import (
    CHECKED,
    DEFAULT,
    CodexFacts,
    facts_for,
    version_numbers,
)
from codex_link.core.model.probe import Failure
from codex_link.core.wait_estimate import connect_attempts, fallback_wait_seconds
from tests.harness.codex_cli import codex_cli_versions


@pytest.mark.parametrize("version", ["0.169.0", "0.171.0", "v0.171.0", " 0.169.0\n"])
def test_a_checked_version_gets_its_own_row(version: str) -> None:
    lookup = facts_for(version)
    assert lookup.checked
    assert lookup.facts.version == version.strip().lstrip("v")
    assert lookup.installed == version


@pytest.mark.parametrize(
    ("version", "nearest"),
    [
        ("0.172.0", "0.171.0"),  # newer: the newest checked
        ("1.0.0", "0.171.0"),
        ("0.170.1", "0.171.0"),  # between: the nearer
        ("0.169.9", "0.169.0"),
        ("0.170.0", "0.171.0"),  # as near to both: the newer
        ("0.171.0-alpha.3", "0.171.0"),  # a pre-release is not the release
        ("0.100.0", "0.169.0"),  # older: the oldest checked
    ],
)
def test_another_version_gets_the_nearest_row_flagged_unchecked(version: str, nearest: str) -> None:
    lookup = facts_for(version)
    assert (lookup.facts.version, lookup.checked) == (nearest, False)


@pytest.mark.parametrize("version", [None, "", "codex", "0.169", "latest", "x.1.2"])
def test_an_unreadable_version_gets_the_default_row_flagged_unchecked(version: str | None) -> None:
    lookup = facts_for(version)
    assert (lookup.facts, lookup.checked) == (DEFAULT, False)


def test_version_numbers() -> None:
    assert version_numbers("0.171.0-alpha.3") == (0, 171, 0)
    assert version_numbers("codex-cli 0.169.0") is None  # the caller parses the output


def test_the_table_holds_the_versions_the_tests_pin() -> None:
    assert [row.version for row in CHECKED] == sorted(
        codex_cli_versions(), key=lambda v: version_numbers(v) or (0, 0, 0)
    )
    assert DEFAULT.version == codex_cli_versions()[0]


@pytest.mark.parametrize("facts", CHECKED, ids=lambda row: row.version)
def test_the_wait_estimate_matches_what_each_version_did_on_a_blackhole(facts: CodexFacts) -> None:
    provider = ProviderInfo(
        id="openai",
        name="OpenAI",
        builtin=True,
        base_url=None,
        supports_websockets=True,
        websocket_connect_timeout_ms=facts.websocket_connect_timeout_ms,
        stream_max_retries=facts.stream_max_retries,
    )
    assert connect_attempts(provider, facts) == facts.blackhole_attempts
    wait = fallback_wait_seconds(provider, Failure.UPGRADE_TIMEOUT, facts=facts)
    assert abs(wait - facts.blackhole_wait_s) <= 2


def test_the_provider_defaults_are_the_tables() -> None:
    # ProviderInfo fills in Codex's defaults; they must be the checked versions' facts.
    provider = ProviderInfo(id="openai", name="OpenAI", builtin=True, base_url=None)
    for facts in CHECKED:
        assert (
            provider.websocket_connect_timeout_ms,
            provider.stream_max_retries,
            provider.request_max_retries,
        ) == (
            facts.websocket_connect_timeout_ms,
            facts.stream_max_retries,
            facts.request_max_retries,
        )


def test_the_findings_follow_the_facts_of_the_version(tmp_path: Path) -> None:
    config = {
        "approval_policy": "untrusted",
        "features": {"responses_websockets": True},
        "model_providers": {"amazon-bedrock": {"region": "eu-west-1"}},
    }
    path = tmp_path / "config.toml"
    codes = {f.code for f in findings.config_findings(config, path)}
    assert {"approval_policy_removed", "bedrock_table_fields", "removed_websocket_feature"} <= codes
    lenient = CodexFacts(
        "0.150.0",
        removed_websocket_features=(),
        removed_approval_policies=frozenset(),
        bedrock_table_fields=frozenset({"region"}),
    )
    assert {f.code for f in findings.config_findings(config, path, lenient)}.isdisjoint(
        {"approval_policy_removed", "bedrock_table_fields", "removed_websocket_feature"}
    )
