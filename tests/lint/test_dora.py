"""The ``dora`` lint profile (CP7xx): DORA Art. 30 against a compliant and a deficient agreement,
one failing case per rule, the citations, and the blueprint's results left as they were."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from clearpact.cli import app
from clearpact.lint import DORA_RULES, RULES, Profile, lint_agreement, profile_rules
from clearpact.lint.prose import load_catalogue
from tests.conftest import EXAMPLES, ROOT, build, example_data
from tests.lint.test_rules import Data, drop, put

runner = CliRunner()

COMPLIANT = "dora-compliant.yaml"
DEFICIENT = "fully-managed-smb.yaml"

# What the clean SMB example lacks under DORA: no regulatory section (CP700, CP709, CP712,
# CP723, CP726), no subcontracting, data protection or incident terms (CP702, CP705, CP708),
# no country the services come from (CP703), no data access if the provider fails (CP706), no
# listed termination rights (CP710), an untested continuity plan (CP724), no audit rights
# (CP727), and transition help without a duty to keep the service running (CP728).
DEFICIENT_ART_30_2 = {"CP700", "CP702", "CP703", "CP705", "CP706", "CP708", "CP709", "CP710"}
DEFICIENT_ART_30_2 |= {"CP712"}
DEFICIENT_ART_30_3 = {"CP723", "CP724", "CP726", "CP727", "CP728"}

CITATION = re.compile(r"^DORA Art\. 30\((2|3)\)(\([a-i]\))?$")


@pytest.fixture
def dora_data() -> Data:
    """The DORA-compliant example as plain data; a fresh copy per test."""
    return copy.deepcopy(_DORA)


_DORA = example_data(COMPLIANT)


def dora_findings(data: Data, *, critical: bool | None = None) -> set[str]:
    """The ids of the DORA rules that fire on ``data`` under ``--profile dora``."""
    result = lint_agreement(build(data), profile=Profile.DORA, critical=critical)
    return {f.rule for f in result.findings if f.rule in DORA_RULES}


def test_compliant_agreement_has_no_findings_in_either_profile(dora_data: Data) -> None:
    agreement = build(dora_data)
    assert lint_agreement(agreement, profile=Profile.DORA).findings == []
    assert lint_agreement(agreement).findings == []


def test_deficient_agreement_gets_exactly_these_dora_findings() -> None:
    data = example_data(DEFICIENT)
    assert lint_agreement(build(data)).findings == []  # clean under the blueprint
    assert dora_findings(data) == DEFICIENT_ART_30_2 | DEFICIENT_ART_30_3


def test_not_critical_leaves_out_article_30_3() -> None:
    assert dora_findings(example_data(DEFICIENT), critical=False) == DEFICIENT_ART_30_2


def test_agreement_field_decides_criticality_unless_the_option_overrides(dora_data: Data) -> None:
    del dora_data["regulatory"]["tlpt_participation"]  # CP726, Art. 30(3)(d)
    assert dora_findings(dora_data) == {"CP726"}
    dora_data["regulatory"]["critical_or_important"] = False
    assert dora_findings(dora_data) == set()
    assert dora_findings(dora_data, critical=True) == {"CP726"}


FAILING: dict[str, Callable[[Data], None]] = {
    "CP700": put("regulatory", {"framework": "dora"}),
    "CP701": drop("services/security/description"),
    "CP702": put("risk/subcontracting", {"permitted": True}),
    "CP703": put("risk/data_location/service_countries", []),
    "CP704": drop("risk/data_location/change_notice"),
    "CP705": put("risk/data_protection/covers", ["confidentiality", "integrity"]),
    "CP706": drop("exit/data_return/on_provider_failure"),
    "CP707": drop("slas/resolution/description"),
    "CP708": put("risk/incident_assistance", {"scope": "Recovery", "cost": "fixed_rate"}),
    "CP709": drop("regulatory/authority_cooperation"),
    "CP710": put("exit/termination_rights", [{"by": "provider", "ground": "Non-payment"}]),
    "CP711": drop("exit/termination_rights/0/notice"),
    "CP712": drop("regulatory/security_awareness_training"),
    "CP721": drop("slas/resolution/attainment"),
    "CP722": drop("governance/reports/1/due_within"),
    "CP723": drop("regulatory/material_change_notice"),
    "CP724": drop("risk/business_continuity/test_cadence"),
    "CP725": put("risk/compliance", []),
    "CP726": drop("regulatory/tlpt_participation"),
    "CP727": put("governance/audit_rights/granted_to", ["customer"]),
    "CP728": put("exit/transition_assistance/service_continues", False),
}


def test_every_dora_rule_has_a_failing_case() -> None:
    assert sorted(FAILING) == sorted(DORA_RULES)


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_dora_rule_fails_on_its_case_and_cites_its_article(rule_id: str, dora_data: Data) -> None:
    FAILING[rule_id](dora_data)
    result = lint_agreement(build(dora_data), profile=Profile.DORA)
    findings = [f for f in result.findings if f.rule == rule_id]
    assert findings, f"{rule_id} did not fire"
    citation = DORA_RULES[rule_id].citation
    assert citation is not None
    assert all(f.citation == citation and f.message.endswith(f"[{citation}]") for f in findings)


def test_every_dora_rule_cites_a_point_of_article_30() -> None:
    for r in DORA_RULES.values():
        assert r.citation is not None, r.id
        assert CITATION.match(r.citation), r.id
        assert r.critical_only == r.citation.startswith("DORA Art. 30(3)("), r.id
        assert r.id.startswith("CP7")
        assert r.profile is Profile.DORA


def test_lint_covers_every_point_the_prose_audit_checks() -> None:
    """The prose audit's DORA profile and the lint cite the same points of Art. 30, and agree
    on which apply only to critical or important functions."""
    requirements = [
        r for r in load_catalogue().profiles["dora"].requirements if r.citation.startswith("DORA")
    ]
    lint = {r.citation: r.critical_only for r in DORA_RULES.values() if r.citation}
    assert {r.citation: r.critical_only for r in requirements}.items() <= lint.items()


def test_blueprint_profile_runs_the_blueprint_rules_only() -> None:
    assert profile_rules() == list(RULES.values())
    assert not set(RULES) & set(DORA_RULES)
    assert {r.id for r in profile_rules(Profile.DORA)} == set(RULES) | set(DORA_RULES)
    assert {r.id for r in profile_rules(Profile.DORA, critical=False)} == set(RULES) | {
        r.id for r in DORA_RULES.values() if not r.critical_only
    }


GOLDEN = ROOT / "tests" / "lint" / "golden" / "blueprint"


@pytest.mark.parametrize(
    "name", sorted(p.name for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".register.yaml"))
)
def test_blueprint_json_is_byte_for_byte_what_it_was(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The goldens are `clearpact lint examples/NAME --format json` as printed before the dora
    profile existed (dora-compliant.yaml: since it was added). When a blueprint rule changes on
    purpose, regenerate them from the checkout's root with that command."""
    monkeypatch.chdir(ROOT)
    path = f"examples/{name}"
    golden = (GOLDEN / name.replace(".yaml", ".json")).read_text(encoding="utf-8")
    for extra in ([], ["--profile", "blueprint"], ["--profile", "blueprint", "--not-critical"]):
        result = runner.invoke(app, ["lint", path, "--format", "json", *extra])
        assert result.stdout == golden, (name, extra)


def test_cli_dora_profile_on_both_examples() -> None:
    clean = runner.invoke(app, ["lint", str(EXAMPLES / COMPLIANT), "--profile", "dora"])
    assert clean.exit_code == 0, clean.stdout
    assert "100/100" in clean.stdout
    assert "profile dora" in clean.stdout
    deficient = runner.invoke(
        app, ["lint", str(EXAMPLES / DEFICIENT), "--profile", "dora", "--format", "json"]
    )
    assert deficient.exit_code == 1
    payload = json.loads(deficient.stdout)
    assert payload["profile"] == "dora"
    assert payload["critical"] is True
    dora = [f for f in payload["findings"] if f["rule"] in DORA_RULES]
    assert {f["rule"] for f in dora} == DEFICIENT_ART_30_2 | DEFICIENT_ART_30_3
    assert all(f["citation"] == DORA_RULES[f["rule"]].citation for f in dora)
    assert all(f["line"] for f in dora)


def test_cli_not_critical_and_disable() -> None:
    path = str(EXAMPLES / DEFICIENT)
    result = runner.invoke(
        app,
        ["lint", path, "--profile", "dora", "--not-critical", "-f", "json", "--disable", "CP700"],
    )
    payload = json.loads(result.stdout)
    assert payload["critical"] is False
    assert {f["rule"] for f in payload["findings"]} == DEFICIENT_ART_30_2 - {"CP700"}
    refused = runner.invoke(app, ["lint", path, "--disable", "CP702"])
    assert refused.exit_code == 2  # a DORA rule is not in the blueprint profile


def test_cli_list_rules_with_the_dora_profile() -> None:
    listed = runner.invoke(app, ["lint", "--list-rules", "--profile", "dora", "-f", "json"])
    rows = json.loads(listed.stdout)
    assert [r["rule"] for r in rows] == [*RULES, *DORA_RULES]
    assert {r["rule"]: r["citation"] for r in rows if r["profile"] == "dora"} == {
        r.id: r.citation for r in DORA_RULES.values()
    }
    not_critical = runner.invoke(
        app, ["lint", "--list-rules", "--profile", "dora", "--not-critical", "-f", "json"]
    )
    assert not any(r["critical_only"] for r in json.loads(not_critical.stdout))
    blueprint = json.loads(runner.invoke(app, ["lint", "--list-rules", "-f", "json"]).stdout)
    assert [r["rule"] for r in blueprint] == list(RULES)
    assert all("citation" not in r for r in blueprint)


def test_sarif_descriptors_carry_the_citation() -> None:
    result = runner.invoke(
        app, ["lint", str(EXAMPLES / DEFICIENT), "--profile", "dora", "-f", "sarif"]
    )
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    cited = {r["id"]: r["properties"].get("citation") for r in rules}
    assert cited["CP727"] == "DORA Art. 30(3)(e)"
    assert cited["CP201"] is None
