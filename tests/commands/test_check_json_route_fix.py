"""`codex-link check --json` names the route fix a verdict offers: how it would be written
and through which proxy, with any login in the proxy URL hidden."""

from __future__ import annotations

from codex_link.commands.check import report_to_dict
from codex_link.core.model.route_fix import RouteMethod, RouteProposal
from tests.factories import route_fix_offered


def test_the_route_fix_advice_carries_its_proposal() -> None:
    proposal = RouteProposal(
        RouteMethod.DOTENV, "http://amy:s3cret@127.0.0.1:7890", ("HTTPS_PROXY",)
    )
    report = route_fix_offered(proposal).report
    assert report is not None
    advice = report_to_dict(report)["advice"]
    fix = next(a for a in advice if a["kind"] == "route_fix")
    assert fix["proposal"] == {
        "method": "dotenv",
        "proxy": "http://***@127.0.0.1:7890",
        "variables": ["HTTPS_PROXY"],
    }
    assert all("proposal" not in a for a in advice if a["kind"] != "route_fix")
    assert "s3cret" not in str(advice)
