"""The JSON Schema for editors: generated from the model, committed, and it accepts the examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from clearpact.agreement.schema import agreement_schema
from tests.conftest import EXAMPLES, ROOT, example_data

SCHEMA_FILE = ROOT / "schema" / "clearpact-v1.schema.json"


def as_json(data: Any) -> Any:
    """YAML dates become ISO strings, as an editor's YAML language server sees them."""
    return json.loads(json.dumps(data, default=str))


def test_committed_schema_is_current() -> None:
    """Regenerate with `clearpact schema -o schema/clearpact-v1.schema.json`."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == agreement_schema()


@pytest.mark.parametrize(
    "name",  # evidence registers (*.register.yaml) sit beside their agreements
    sorted(p.name for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".register.yaml")),
)
def test_schema_accepts_the_examples(name: str) -> None:
    jsonschema.validate(as_json(example_data(name)), agreement_schema())


def test_schema_rejects_unknown_keys_and_bad_durations() -> None:
    data = as_json(example_data("fully-managed-smb.yaml"))
    data["slas"]["resolution"]["targets"]["P2"] = "eight hours"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, agreement_schema())
    data = as_json(example_data("fully-managed-smb.yaml"))
    data["term"]["notice_perod"] = "90d"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, agreement_schema())


def test_every_field_is_described() -> None:
    """Descriptions feed editor tooltips; a field without one is undocumented."""
    missing = []

    def visit(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if "description" not in prop:
                    missing.append(f"{where}.{name}")
            for key, value in node.items():
                visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for item in node:
                visit(item, where)

    visit(agreement_schema(), "")
    assert missing == []


def test_schema_file_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(Path(SCHEMA_FILE).read_text("utf-8")))
