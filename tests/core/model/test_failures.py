"""The one table of what is known about each failure class."""

from __future__ import annotations

import re

from codex_link.core.model.failures import FAILURES
from codex_link.core.model.probe import Failure

PLACEHOLDERS = {"host", "proxy", "status", "code", "source"}


def test_every_failure_class_has_a_label_a_clause_and_a_fix() -> None:
    assert set(FAILURES) == set(Failure)
    for failure, facts in FAILURES.items():
        for template in (facts.label, facts.phrase, facts.fix):
            assert template.strip(), failure
            assert set(re.findall(r"\{(\w+)\}", template)) <= PLACEHOLDERS, template


def test_only_silence_costs_codex_the_whole_timeout() -> None:
    waits = {failure for failure, facts in FAILURES.items() if facts.costs_timeout}
    assert waits == {Failure.TCP_TIMEOUT, Failure.UPGRADE_TIMEOUT, Failure.HTTP_TIMEOUT}
