"""Query results in notebooks: pandas DataFrames and HTML tables."""

from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.store.base import QueryResult


def _result() -> QueryResult:
    return QueryResult("select", variables=["e", "start", "n", "missing"], rows=[
        (URIRef("https://w3id.org/kg/id/somtc"), Literal("2025-04-23", datatype=XSD.date),
         Literal("33", datatype=XSD.integer), None),
        (URIRef("https://w3id.org/kg/id/x"), Literal("<script>alert(1)</script>"), Literal("1", datatype=XSD.integer), None),
    ])


def test_select_rows_convert_to_a_dataframe_with_python_values() -> None:
    df = _result().to_dataframe()
    assert list(df.columns) == ["e", "start", "n", "missing"]
    assert df.loc[0, "e"] == "https://w3id.org/kg/id/somtc"
    assert df.loc[0, "start"] == dt.date(2025, 4, 23)
    assert int(df.loc[0, "n"]) == 33 and df.loc[0, "missing"] is None


def test_html_table_escapes_values() -> None:
    html = _result()._repr_html_()
    assert "<th>start</th>" in html and "&lt;script&gt;" in html and "<script>" not in html
    assert QueryResult("ask", boolean=True)._repr_html_() == "<p>ASK: <b>true</b></p>"
