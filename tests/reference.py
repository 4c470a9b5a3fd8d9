"""Access to ../shared/reference (GS1 artefacts), skipping cleanly where a clone has none."""

from __future__ import annotations

from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


def reference_path(*parts: str) -> Path:
    """A file or folder of ../shared/reference, or skip the test with the reason."""
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference material not available: {path} (a user's clone has no ../shared)")
    return path
