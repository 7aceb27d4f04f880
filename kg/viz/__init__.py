"""Interactive, self-contained HTML views of the knowledge graph (vis-network, as in pyvis).

Public API:

* :func:`write_view` writes one HTML file and returns :class:`ViewStats`;
* :func:`view_html` returns the same page as a string;
* :class:`View` shows it in a notebook (``_repr_html_`` gives an iframe).

Modules: :mod:`.project` (RDF -> entities, relations, provenance),
:mod:`.select` (focus, classes, predicates, dates), :mod:`.aggregate`
(fitting ``max_nodes``), :mod:`.layout` (positions), :mod:`.style`
(colours, shapes, labels), :mod:`.payload` (the page's JSON),
:mod:`.render` (the HTML); ``assets/`` holds the template, script and styles.
"""

from .render import MAX_NODES, View, ViewStats, view_html, write_view

__all__ = ["MAX_NODES", "View", "ViewStats", "view_html", "write_view"]
