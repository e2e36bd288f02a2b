"""Where the tests find things: the repository and the tests' own data. Nothing outside the repository is needed."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SEEDS = REPO.parent / "shared" / "seeds"
"""The recaps history/ is transcribed from: beside the repository in CI, absent in a user's clone."""
