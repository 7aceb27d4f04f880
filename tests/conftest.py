"""Shared fixtures: the seed build, made once per test session through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DEV_GOLD = SHARED / "corpus" / "dev" / "gold.jsonl"


def run_kg(*args: str, cwd: Path | None = None, check: bool = True, env: dict[str, str] | None = None,
           timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the real ``kg`` command line (``python -m kg``) and return the finished process."""
    proc = subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd or ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def kg_cli():  # type: ignore[no-untyped-def]
    """The :func:`run_kg` helper, for tests that drive the real command line."""
    return run_kg


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``kg build seeds/ --out DIR`` once; returns DIR."""
    out = tmp_path_factory.mktemp("seed-build")
    run_kg("build", str(SEEDS), "--out", str(out))
    return out
