"""Every lint rule has a failing case (a one-change copy of the clean SMB example) and a passing
case (the example itself). A rule without a case here fails the suite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from clearpact.lint import RULES, lint_agreement
from tests.conftest import build

Data = dict[str, Any]


def _walk(data: Data, path: str) -> tuple[Any, str | int]:
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in path.split("/")]
    node: Any = data
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def put(path: str, value: Any) -> Callable[[Data], None]:
    """Set the value at a '/'-separated path (list indices as numbers)."""

    def change(data: Data) -> None:
        node, last = _walk(data, path)
        node[last] = value

    return change


def drop(path: str) -> Callable[[Data], None]:
    """Remove the key or list item at a '/'-separated path."""

    def change(data: Data) -> None:
        node, last = _walk(data, path)
        del node[last]

    return change


def add(path: str, value: Any) -> Callable[[Data], None]:
    """Append to the list at a '/'-separated path."""

    def change(data: Data) -> None:
        node, last = _walk(data, path)
        node[last].append(value)

    return change


def every_service(key: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        for service in data["services"].values():
            service.pop(key, None)

    return change


def no_slas(data: Data) -> None:
    data["slas"] = {}
    data["versions"] = data["versions"][:1]  # 1.1 amends an SLA that no longer exists


def same_objective_ids(data: Data) -> None:
    data["objectives"][1]["id"] = data["objectives"][0]["id"]


FAILING: dict[str, Callable[[Data], None]] = {
    # completeness
    "CP201": drop("term/notice_period"),
    "CP202": drop("term/renewal"),
    "CP203": drop("commercials"),
    "CP204": put("objectives", []),
    "CP205": put("objectives/0/kpis", []),
    "CP206": drop("objectives/0/success_measure"),
    "CP207": drop("engagement"),
    "CP208": drop("engagement/decides"),
    "CP209": put("services/service-desk/in_scope", []),
    "CP210": drop("services/security/out_of_scope"),
    "CP211": drop("services/security/coverage"),
    "CP212": every_service("customer_responsibilities"),
    "CP213": drop("out_of_scope_work/approval"),
    "CP214": put("priorities/levels", {}),
    "CP215": drop("priorities/levels/P4/examples"),
    "CP216": drop("priorities/classified_by"),
    "CP217": no_slas,
    "CP218": drop("slas/first-response"),
    "CP219": put("kpis", {}),
    "CP220": drop("service_credits"),
    "CP221": drop("service_credits/cap"),
    "CP222": drop("service_credits/chronic_failure"),
    "CP223": drop("governance/meetings/2"),
    "CP224": put("governance/reports/0/recipients", []),
    "CP225": put("governance/escalation", []),
    "CP226": put("governance/raci", []),
    "CP227": put("risk/disaster_recovery", []),
    "CP228": drop("risk/disaster_recovery/0/rpo"),
    "CP229": drop("risk/business_continuity"),
    "CP230": drop("risk/backups/retention"),
    "CP231": drop("risk/data_location"),
    "CP232": put("risk/compliance", []),
    "CP233": drop("exit"),
    "CP234": drop("exit/deletion_certificate"),
    "CP235": put("versions", []),
    "CP236": put("definitions", {}),
    # measurability
    "CP301": drop("slas/resolution/calendar"),
    "CP302": put("slas/resolution/targets", {}),
    "CP303": drop("slas/resolution/targets/P4"),
    "CP304": drop("slas/resolution/attainment"),
    "CP305": drop("slas/resolution/stop"),
    "CP306": drop("slas/first-response/response"),
    "CP307": put(
        "slas/first-response/response", {"author": "any_agent", "excludes": ["internal_note"]}
    ),
    "CP308": drop("slas/resolution/priority_change"),
    "CP309": drop("slas/resolution/reopen"),
    "CP310": drop("slas/availability-core/target"),
    "CP311": drop("slas/availability-core/downtime_definition"),
    "CP312": drop("slas/availability-core/maintenance"),
    "CP313": drop("kpis/csat/formula"),
    "CP314": put("kpis/csat/formula", "csat_average"),
    "CP315": drop("kpis/csat/target"),
    "CP316": drop("kpis/csat/source"),
    "CP317": put("kpis/mttr/target", "90%"),
    "CP318": put("slas/resolution/targets/P4", "5d"),
    "CP319": put("objectives/0/success_measure", "Fewer IT problems."),
    "CP320": drop("governance/reports/0/due_within"),
    "CP321": drop("slas/resolution/reopen/within"),
    "CP322": drop("slas/first-response/unanswered"),
    # consistency
    "CP401": put("slas/resolution/calendar", "offic"),
    "CP402": put("slas/resolution/targets/P5", "80h"),
    "CP403": add("objectives/0/services", "helpdesk"),
    "CP404": add("objectives/0/kpis", "nps"),
    "CP405": put("service_credits/tiers/0/sla", "resolve"),
    "CP406": put("slas/first-response/targets/P3", "30h"),  # resolution P3 is 20h, same calendar
    "CP407": put("slas/resolution/targets/P3", "50h"),  # P4 is 40h
    "CP408": put("service_credits/tiers/1/credit", "20%"),  # cap 15%
    "CP409": put("service_credits/tiers/1/credit", "3%"),  # below 80% pays less than below 90% (4%)
    "CP410": put(
        "service_credits/at_risk",
        {"pool": "10%", "allocation": {"resolution": "50%", "availability-core": "40%"}},
    ),
    "CP411": put("slas/resolution/attainment/target", "0%"),
    "CP412": put("service_credits/tiers/0/below", "95%"),  # SLA is met at 90%
    "CP413": put("term/end", dt.date(2025, 12, 31)),  # before start 2026-01-01
    "CP414": put("risk/compliance/0/expires", dt.date(2027, 6, 30)),  # term ends 2027-12-31
    "CP415": put("exit/notice", "60d"),  # term says 90d
    "CP416": put("governance/escalation/2/after", "1h"),  # level 2 waits 4h
    "CP417": put("service_credits/chronic_failure/misses", 4),  # within 3
    "CP418": put("risk/disaster_recovery/0/rpo", "1h"),  # daily backups
    "CP419": same_objective_ids,
    "CP420": put("service_credits/cap", "10%"),  # highest tiers 7% + 8% = 15%
    "CP421": put("calendars/office/hours", {}),
    # language
    "CP501": put("services/service-desk/description", "We will use best efforts to help."),
    "CP502": put("services/service-desk/description", "Tickets are answered promptly."),
    "CP503": put("services/service-desk/description", "Adequate staffing is provided."),
    "CP504": add("services/service-desk/in_scope", "Printers, scanners etc."),
    "CP505": put(
        "slas/availability-core/downtime_definition", "Downtime as determined by Brightline."
    ),
    "CP506": put("out_of_scope_work/request_via", "Any request, billed at then-current rates"),
    "CP507": put("slas/resolution/description", "Support is available 24/7."),
}


def test_every_rule_has_a_failing_case() -> None:
    assert sorted(FAILING) == sorted(RULES)


def test_there_are_at_least_40_rules_in_every_family() -> None:
    families = {rule.family for rule in RULES.values()}
    assert len(RULES) >= 40
    assert len(families) == 4


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_passes_on_the_clean_example(rule_id: str, smb_data: Data) -> None:
    findings = lint_agreement(build(smb_data)).findings
    assert [f.message for f in findings if f.rule == rule_id] == []


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_rule_fails_on_its_case(rule_id: str, smb_data: Data) -> None:
    FAILING[rule_id](smb_data)
    findings = [f for f in lint_agreement(build(smb_data)).findings if f.rule == rule_id]
    assert findings, f"{rule_id} did not fire"
    assert all(f.message and f.hint for f in findings)


def test_response_and_resolution_on_different_calendars_are_not_compared(smb_data: Data) -> None:
    # P1 response 30m on 'always' vs P1 resolution 4h on 'always': fine. Move the P1 response to
    # the office calendar with 5h: calendars differ from resolution's, so CP406 stays silent.
    smb_data["slas"]["first-response"]["targets"]["P1"] = "5h"
    findings = lint_agreement(build(smb_data)).findings
    assert "CP406" not in {f.rule for f in findings}


def test_round_the_clock_claim_is_fine_on_a_24x7_sla(smb_data: Data) -> None:
    smb_data["slas"]["resolution"]["calendar"] = "always"
    smb_data["slas"]["resolution"]["targets"] = {"P1": "4h", "P2": "8h", "P3": "20h", "P4": "40h"}
    smb_data["slas"]["resolution"]["description"] = "Resolution is measured 24/7."
    findings = lint_agreement(build(smb_data)).findings
    assert "CP507" not in {f.rule for f in findings}


def test_discretion_phrase_names_the_provider_by_its_own_name(smb_data: Data) -> None:
    smb_data["service_credits"]["claim_process"] = (
        "Credits are granted at Brightline's sole discretion."
    )
    findings = [f for f in lint_agreement(build(smb_data)).findings if f.rule == "CP505"]
    assert [f.path for f in findings] == ["service_credits.claim_process"]
    assert "at Brightline's sole discretion" in findings[0].message


def test_disabled_rules_do_not_run(smb_data: Data) -> None:
    drop("exit")(smb_data)
    result = lint_agreement(build(smb_data), disabled=["CP233"])
    assert "CP233" not in {f.rule for f in result.findings}
