"""Held-back candidates are kept apart and exported for review (kg candidates)."""

from __future__ import annotations

import csv
from pathlib import Path


def test_planned_and_negated_statements_are_exported_not_asserted(tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("05-05-2025\nThailand will host the 20th ASEAN Ministerial Meeting on Transnational "
                               "Crime next year. Myanmar did not attend the 25th ASEAN Senior Officials Meeting on "
                               "Transnational Crime in Bangkok, Thailand.\n", encoding="utf-8")
    kg_cli("build", str(src), "--out", str(tmp_path / "out"), "--no-view", "--no-validate")
    store = str(tmp_path / "out" / "store")
    asserted = kg_cli("query", "ASK { ?e kg:hostedBy ?x } ", "--store", store, "--format", "csv").stdout.strip()
    assert asserted.splitlines()[-1] == "false"
    kg_cli("candidates", "--store", store, "-o", str(tmp_path / "c.csv"))
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8")))
    got = {(r["subject_label"], r["predicate"].rsplit("#", 1)[-1], r["object_label"], r["modality"]) for r in rows}
    assert ("20th ASEAN Ministerial Meeting on Transnational Crime", "hostedBy", "Thailand", "planned") in got
    assert ("Myanmar", "participatedIn", "25th ASEAN Senior Officials Meeting on Transnational Crime", "negated") in got
    assert all(r["sentence"] and r["rule"] and 0 < float(r["confidence"]) <= 1 for r in rows)
