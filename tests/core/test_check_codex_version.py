"""The check names the installed Codex's version in its upgrade headers, as that Codex does,
and waits out that release's retries in its estimate."""

from __future__ import annotations

import pytest

from codex_link.core.model.codex_versions import DEFAULT
from codex_link.core.model.verdict import Health
from tests.core.check_support import checker, openai_at, write_config
from tests.harness.endpoint import Behaviour, FakeEndpoint


@pytest.mark.parametrize("version", ["0.171.0", None])
async def test_the_upgrade_names_the_installed_version(
    version: str | None, env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env, codex_version=version).run()
    assert report.verdict.health is Health.READY_WS
    assert endpoint.stats.last_ws_headers["version"] == (version or DEFAULT.version)


async def test_an_unchecked_version_still_gets_an_estimate(
    env: dict[str, str], endpoint: FakeEndpoint
) -> None:
    endpoint.ws_behaviour = Behaviour.RESET
    write_config(env, openai_at(endpoint.base_url))
    report = await checker(env, codex_version="9.9.9").run()
    assert report.verdict.health is Health.WS_BLOCKED
    assert report.verdict.expected_wait_s is not None and report.verdict.expected_wait_s > 0
