"""The JSON Schema of the agreement file, generated from the model (every field's description
included), for editors such as VS Code with the YAML extension."""

from __future__ import annotations

from typing import Any

from clearpact.agreement.model import SPEC_VERSION, Agreement

SCHEMA_ID = "https://clearpact.dev/schema/clearpact-v1.schema.json"


def agreement_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) for ``version: clearpact/v1`` files."""
    schema = Agreement.model_json_schema(mode="validation")
    schema["$id"] = SCHEMA_ID
    schema["title"] = f"clearpact agreement ({SPEC_VERSION})"
    return schema
