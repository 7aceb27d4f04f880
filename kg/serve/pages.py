"""The landing page of ``kg serve``: what the endpoint is, with example queries that run.

Every piece of text on the page (titles, queries, the store name) is
HTML-escaped, and each example link carries its query URL-encoded, so an
example can hold any character.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

#: The examples shown on the landing page: (title, query). Project prefixes need no declaration.
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Agencies of Brunei Darussalam that took part in an event, with the sentence that says so", """\
SELECT DISTINCT ?agency ?event ?sentence WHERE {
  ?top kg:agencyOf kgid:brunei-darussalam .
  ?agency kg:partOf* ?top .
  GRAPH ?doc {
    ?agency kg:participatedIn ?e .
    ?st rdf:subject ?agency ; rdf:predicate kg:participatedIn ; rdf:object ?e ;
        prov:wasDerivedFrom ?s .
    ?s kg:text ?sentence .
  }
  ?e rdfs:label ?event .
}"""),
    ("Events with their dates and places", """\
SELECT ?event ?start ?end ?place WHERE {
  ?e a kg:Event ; rdfs:label ?event .
  OPTIONAL { ?e kg:startDate ?start } OPTIONAL { ?e kg:endDate ?end }
  OPTIONAL { ?e kg:heldIn/rdfs:label ?place }
}"""),
    ("Triples in each named graph (one per document, plus the reference graph)", """\
SELECT ?graph (COUNT(*) AS ?triples) WHERE {
  GRAPH ?graph { ?s ?p ?o }
}
GROUP BY ?graph ORDER BY DESC(?triples)"""),
    ("Regional organizations and their names", """\
SELECT ?org ?label WHERE {
  ?org a kg:RegionalOrganization ; rdfs:label ?label .
}
ORDER BY ?label"""),
    ("Everything said about ASEAN, as a graph", """\
CONSTRUCT { kgid:asean ?p ?o } WHERE { kgid:asean ?p ?o }"""),
    ("Is any fact extracted from a document?", """\
ASK { ?st a kg:ExtractedStatement }"""),
)

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222 }
pre { background: #f4f4f4; padding: .6rem; overflow-x: auto; }
textarea { width: 100%; font: 13px monospace; }
code { background: #f4f4f4; padding: 0 .2rem; }
"""


def landing_page(*, examples: tuple[tuple[str, str], ...] = EXAMPLES, store_name: str = "", has_view: bool = False,
                 read_only: bool = True) -> str:
    """Return the HTML of the landing page.

    Args:
        examples: (title, query) pairs, each shown with a link that runs it.
        store_name: a short name of the store, shown in the heading.
        has_view: link to ``/view`` (the build's interactive view).
        read_only: say whether the endpoint takes updates.

    Returns:
        A complete HTML document; every text is escaped.
    """
    items = []
    for title, query in examples:
        href = "/sparql?query=" + quote(query, safe="")
        items.append(f'<li><p><a href="{escape(href, quote=True)}">{escape(title)}</a></p>'
                     f"<pre>{escape(query)}</pre></li>")
    view = '<li><a href="/view">/view</a>: the interactive view of the graph</li>' if has_view else ""
    mode = ("read-only" if read_only else
            "queries, and updates by <code>POST application/sparql-update</code> with a bearer token")
    first = examples[0][1] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title><style>{_STYLE}</style></head>
<body>
<h1>kg SPARQL endpoint{(": " + escape(store_name)) if store_name else ""}</h1>
<p>SPARQL 1.1 Protocol at <code>/sparql</code> ({mode}): <code>GET /sparql?query=...</code>,
<code>POST</code> with <code>application/sparql-query</code> or a form field <code>query</code>.
The default graph is the union of all named graphs (one per document). The prefixes
<code>kg:</code>, <code>kgid:</code>, <code>rdf:</code>, <code>rdfs:</code>, <code>skos:</code>, <code>prov:</code>,
<code>dcterms:</code>, <code>schema:</code>... need no declaration.</p>
<ul>{view}<li><a href="/health">/health</a>: status as JSON</li></ul>
<h2>Run a query</h2>
<form method="get" action="/sparql">
<textarea name="query" rows="10" spellcheck="false">{escape(first)}</textarea>
<p><button type="submit">Run</button> (the result format follows the Accept header: JSON for
SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE, in a browser)</p>
</form>
<h2>Examples</h2>
<ol>{"".join(items)}</ol>
</body></html>
"""


__all__ = ["EXAMPLES", "landing_page"]
