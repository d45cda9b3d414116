"""Every error path of the loader: each names file, line, column, the field and what was found."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearpact.agreement import AgreementError, load, load_text

HERE = Path(__file__).parent
MINIMAL = """\
version: clearpact/v1
title: Minimal
parties:
  provider: {name: A}
  customer: {name: B}
"""


def errors(text: str) -> list[str]:
    with pytest.raises(AgreementError) as caught:
        load_text(text, "a.yaml")
    return [d.render() for d in caught.value.diagnostics]


def test_minimal_agreement_loads() -> None:
    agreement = load_text(MINIMAL, "a.yaml").agreement
    assert agreement.parties.customer.name == "B"


def test_malformed_yaml_names_line_and_column() -> None:
    assert errors(MINIMAL + "calendars: [unclosed\n") == [
        "a.yaml:7:1: CP100 error: expected ',' or ']', but got '<stream end>'"
    ]


def test_duplicate_keys_are_an_error() -> None:
    (message,) = errors(MINIMAL + "title: Again\n")
    assert message.startswith('a.yaml:6:1: CP104 error: found duplicate key "title"')


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    (message,) = errors("- just\n- a list\n")
    assert "CP105" in message
    assert "found a list" in message


def test_unknown_key_suggests_the_nearest_valid_one() -> None:
    text = MINIMAL + "term:\n  start: 2026-01-01\n  notice_perod: 90d\n"
    assert errors(text) == [
        "a.yaml:8:3: CP102 error: unknown field 'notice_perod' in term\n"
        "  hint: did you mean 'notice_period'?"
    ]


def test_missing_required_field_is_located_at_its_parent_key() -> None:
    text = MINIMAL.replace("  customer: {name: B}\n", "")
    (message,) = errors(text)
    assert message.startswith(
        "a.yaml:3:1: CP103 error: missing required field 'customer' in parties"
    )


def test_wrong_type_says_what_was_expected_and_found() -> None:
    text = MINIMAL + "commercials: {currency: EUR, monthly_fee: lots}\n"
    (message,) = errors(text)
    assert message.startswith("a.yaml:6:43: CP101 error: commercials.monthly_fee: ")
    assert "found 'lots'" in message


def test_enum_typo_suggests_the_valid_value() -> None:
    text = MINIMAL + "engagement: {model: fully-managed}\n"
    (message,) = errors(text)
    assert "engagement.model" in message
    assert "did you mean 'fully_managed'?" in message


def test_wrong_metric_is_reported_at_the_metric_with_a_suggestion() -> None:
    text = MINIMAL + "slas:\n  r:\n    metric: resolutoin\n"
    assert errors(text) == [
        "a.yaml:8:13: CP101 error: slas.r.metric: must be one of 'first_response', 'resolution', "
        "'next_update', 'restoration', 'availability'; found 'resolutoin'\n"
        "  hint: did you mean 'resolution'?"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4", "4 has no unit"),
        ("'4 hours'", "'4 hours' is not a duration"),
        ("3mo", "'3mo' is in months or years"),
    ],
)
def test_bad_target_durations_are_explained(value: str, expected: str) -> None:
    text = MINIMAL + f"slas:\n  r:\n    metric: resolution\n    targets: {{P1: {value}}}\n"
    (message,) = errors(text)
    assert "slas.r.targets.P1" in message
    assert expected in message


def test_bare_number_percentage_is_refused_as_ambiguous() -> None:
    text = (
        MINIMAL
        + "slas:\n  r:\n    metric: resolution\n    attainment: {target: 0.95, period: month}\n"
    )
    (message,) = errors(text)
    assert "no percent sign" in message


def test_impossible_date_is_reported_with_its_position() -> None:
    (message,) = errors(MINIMAL + "term: {start: 2026-13-01}\n")
    assert message.startswith("a.yaml:6:15: CP101 error: term.start:")


def test_every_problem_is_reported_at_once_in_reading_order() -> None:
    text = (
        MINIMAL
        + "term: {start: 2026-01-01, notice: 90d}\ncommercials: {currency: eur, monthly_fee: 1}\n"
    )
    found = errors(text)
    assert [line.split(": ")[1].split()[0] for line in found] == ["CP102", "CP101"]
    assert found[0].startswith("a.yaml:6:")
    assert found[1].startswith("a.yaml:7:")


def test_amendment_to_a_path_that_does_not_exist_is_an_error() -> None:
    text = MINIMAL + (
        "versions:\n"
        "  - version: '1.1'\n"
        "    effective: 2026-07-01\n"
        "    summary: Tighter P2.\n"
        "    changes: {slas.resolution.targets.P2: 6h}\n"
    )
    (message,) = errors(text)
    assert message.startswith(
        "a.yaml:10:15: CP106 error: amendment '1.1' changes 'slas.resolution.targets.P2'"
    )


def test_amendment_that_makes_the_agreement_invalid_is_an_error() -> None:
    text = MINIMAL + (
        "slas:\n  resolution: {metric: resolution, targets: {P2: 8h}}\n"
        "versions:\n"
        "  - {version: '1.1', effective: 2026-07-01, summary: x, changes: {slas.resolution.targets.P2: soon}}\n"
    )
    (message,) = errors(text)
    assert "CP106" in message
    assert "makes the agreement invalid" in message
    assert "'soon'" in message


def test_unreadable_file_is_reported_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(AgreementError) as caught:
        load(tmp_path / "missing.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "CP107"
    assert "missing.yaml" in str(diagnostic.location)


def test_invalid_agreement_diagnostics_match_the_golden_file() -> None:
    """Golden file: the exact diagnostics for a file with many kinds of mistakes."""
    case = HERE / "invalid" / "many-mistakes.yaml"
    with pytest.raises(AgreementError) as caught:
        load(case)
    rendered = "\n".join(d.render() for d in caught.value.diagnostics) + "\n"
    rendered = rendered.replace(str(case), "many-mistakes.yaml")
    assert rendered == (HERE / "invalid" / "many-mistakes.out").read_text(encoding="utf-8")
