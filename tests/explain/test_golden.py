"""The Markdown schedules of the two complete examples, compared with reviewed golden files.

Nothing is normalised: the output must be deterministic (reference dates come from each
agreement's term, never from today). After an intended change, regenerate with
`scripts/update-golden` and review `git diff tests/explain/golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clearpact.explain import render_markdown, render_text
from tests.conftest import ROOT
from tests.explain.conftest import explained

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", ["fully-managed-smb", "co-managed-enterprise"])
def test_markdown_matches_the_golden_file(name: str) -> None:
    expected = (GOLDEN / f"{name}.md").read_text(encoding="utf-8")
    assert render_markdown(explained(name)) == expected, (
        f"explain output for {name} changed; if intended, run scripts/update-golden and review "
        "the diff"
    )


def test_the_readme_excerpt_is_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ clearpact explain examples/fully-managed-smb.yaml\n", 1)[1]
    excerpt = block.split("```", 1)[0].splitlines()
    text = render_text(explained("fully-managed-smb"), width=100).splitlines()
    shown = [line for line in excerpt if line != "…"]
    assert len(shown) > 10
    for line in shown:
        assert line in text, line
