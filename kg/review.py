"""Held-back candidate statements, exported for review.

Planned, negated, hoped-for, conflicting or low-confidence statements are not
asserted (annotation guide, "Modality"); each is kept in its document's named
graph as a ``kg:CandidateStatement`` with its modality, confidence, rule and
sentence. :func:`candidates` lists them; :func:`write_candidates_csv` writes
them as CSV for a reviewer.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .namespaces import sparql_prefixes
from .store.base import Store

CANDIDATES_QUERY = sparql_prefixes() + """
SELECT ?document ?subject ?subject_label ?predicate ?object ?object_label ?modality ?confidence ?rule ?sentence
WHERE {
  GRAPH ?document {
    ?st a kg:CandidateStatement ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object ;
        kg:modality ?modality ; kg:confidence ?confidence ; kg:rule ?rule ; prov:wasDerivedFrom ?s .
    ?s kg:text ?sentence .
    OPTIONAL { ?subject rdfs:label ?subject_label }
    OPTIONAL { ?object rdfs:label ?object_label }
  }
}
ORDER BY ?document ?sentence ?subject ?predicate
"""

COLUMNS = ["document", "subject", "subject_label", "predicate", "object", "object_label", "modality",
           "confidence", "rule", "sentence"]


def candidates(store: Store) -> list[dict[str, str]]:
    """Every held-back candidate statement in the store.

    Args:
        store: an open store.

    Returns:
        One dict per candidate with the keys of :data:`COLUMNS` (strings; "" when unbound).
    """
    result = store.query(CANDIDATES_QUERY)
    rows = []
    for row in result.rows:
        rows.append({k: ("" if v is None else str(v)) for k, v in zip(result.variables, row)})
    return rows


def write_candidates_csv(store: Store, path: Path) -> int:
    """Write the candidates as CSV (UTF-8, header row) for review.

    Returns:
        The number of candidates written.

    Raises:
        OSError: the file cannot be written.
    """
    rows = candidates(store)
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
