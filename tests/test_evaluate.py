"""`kg eval` against the dev gold: the quality floor, and agreement with the independent scorer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.evaluate import Counts, evaluate, normalise_label

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
SCORER = ROOT.parent / "shared" / "tools" / "score.py"

#: The floor reached on the dev gold and recorded here; raise it as extraction improves, never lower it.
#: Source: `kg eval ../shared/corpus/dev/gold.jsonl` (see the closing notes of the issues); on
#: 2026-11-30 (end of session 2): entities F1 0.911, triples P 0.885 R 0.675; session 3: entities F1 0.927,
#: triples P 0.917 R 0.803 (tp 485, fp 44, fn 119) — the issue's targets (F1 0.90, P 0.90, R 0.80).
FLOOR = {"entity_f1": 0.90, "triple_precision": 0.90, "triple_recall": 0.80}

if not (DEV / "gold.jsonl").is_file() and os.environ.get("CI"):
    raise RuntimeError(f"CI must have the shared corpus beside the repository ({DEV} is missing)")
needs_dev = pytest.mark.skipif(not (DEV / "gold.jsonl").is_file(), reason="shared/corpus/dev is not beside the repo")


def test_normalise_label_follows_gold_format() -> None:
    assert normalise_label("The  ASEAN Senior Officials' Meeting") == normalise_label("asean senior officials meeting")
    assert normalise_label("Timor-Leste") == "timor leste"


def test_counts_prf() -> None:
    c = Counts(tp=8, fp=2, fn=8)
    assert (round(c.precision, 3), round(c.recall, 3), round(c.f1, 3)) == (0.8, 0.5, 0.615)
    assert Counts().f1 == 0.0


@needs_dev
def test_dev_gold_stays_above_the_floor() -> None:
    result = evaluate(DEV / "gold.jsonl")
    assert len(result.documents) == sum(1 for line in (DEV / "gold.jsonl").read_text().splitlines() if line.strip())
    assert result.entities.f1 >= FLOOR["entity_f1"], result.entities.prf()
    assert result.triples.precision >= FLOOR["triple_precision"], result.triples.prf()
    assert result.triples.recall >= FLOOR["triple_recall"], result.triples.prf()


@needs_dev
def test_kg_eval_agrees_with_the_independent_scorer(tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    docs = ["000_6bd910b6c424d9d3.txt", "d010.txt", "d022.txt"]
    lines = {json.loads(x)["doc"]: x for x in (DEV / "gold.jsonl").read_text().splitlines() if x.strip()}
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for d in docs:
        (gold_dir / d).write_text((DEV / d).read_text(encoding="utf-8"), encoding="utf-8")
        meta = DEV / d.replace(".txt", ".meta.json")
        if meta.exists():
            (gold_dir / meta.name).write_text(meta.read_text(encoding="utf-8"), encoding="utf-8")
    gold = gold_dir / "gold.jsonl"
    gold.write_text("\n".join(lines[d] for d in docs) + "\n", encoding="utf-8")
    builds = tmp_path / "builds"
    for d in docs:
        kg_cli("build", str(gold_dir / d), "--out", str(builds / Path(d).stem), "--no-view", "--no-validate")
    scored = subprocess.run([sys.executable, str(SCORER), str(gold), str(builds), str(ROOT / "ontology" / "kg.ttl"),
                             "auto", "--json"], capture_output=True, text=True, check=True)
    theirs = json.loads(scored.stdout)
    ours = json.loads(kg_cli("eval", str(gold), "--format", "json").stdout)
    assert theirs["entity_counts"] == [ours["entities"][k] for k in ("tp", "fp", "fn")]
    assert theirs["triple_counts"] == [ours["triples"][k] for k in ("tp", "fp", "fn")]


def test_an_empty_gold_file_is_an_input_error(tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n", encoding="utf-8")
    proc = kg_cli("eval", str(gold), check=False)
    assert proc.returncode == 3
    assert proc.stderr.strip() == (f"kg: error: {gold} names no document (it is empty); "
                                   "add one JSON line per annotated document")
