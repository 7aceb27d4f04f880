"""Content negotiation: which result format an ``Accept`` header asks for.

==========================================  =============================  ==========
media type                                  results                        renderer
==========================================  =============================  ==========
``application/sparql-results+json``         SELECT, ASK (default)          ``json``
``application/json``                        SELECT, ASK                    ``json``
``application/sparql-results+xml``          SELECT, ASK                    ``xml``
``text/csv``                                SELECT, ASK                    ``csv``
``text/tab-separated-values``               SELECT, ASK                    ``tsv``
``text/turtle``                             CONSTRUCT, DESCRIBE (default)  ``turtle``
``application/n-triples``                   CONSTRUCT, DESCRIBE            ``ntriples``
``application/ld+json``                     CONSTRUCT, DESCRIBE            ``jsonld``
==========================================  =============================  ==========

Source: RFC 9110 section 12.5.1 (Accept: q-values, ``type/*`` and ``*/*``
ranges, the most specific matching range decides, ``q=0`` means "not
acceptable"); SPARQL 1.1 Protocol section 2.1 (W3C Recommendation, 2013-03-21).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaType:
    """A format the endpoint can answer in.

    Attributes:
        name: the media type (``text/csv``).
        renderer: the key of the renderer in :mod:`kg.serve.formats`.
        content_type: the ``Content-Type`` header sent with it.
    """

    name: str
    renderer: str
    content_type: str


#: Formats for SELECT and ASK results, the default first.
RESULT_TYPES: tuple[MediaType, ...] = (
    MediaType("application/sparql-results+json", "json", "application/sparql-results+json"),
    MediaType("application/sparql-results+xml", "xml", "application/sparql-results+xml; charset=utf-8"),
    MediaType("text/csv", "csv", "text/csv; charset=utf-8"),
    MediaType("text/tab-separated-values", "tsv", "text/tab-separated-values; charset=utf-8"),
    MediaType("application/json", "json", "application/json"),
)
#: Formats for CONSTRUCT and DESCRIBE results, the default first.
GRAPH_TYPES: tuple[MediaType, ...] = (
    MediaType("text/turtle", "turtle", "text/turtle; charset=utf-8"),
    MediaType("application/n-triples", "ntriples", "application/n-triples"),
    MediaType("application/ld+json", "jsonld", "application/ld+json"),
)


def types_for(form: str) -> tuple[MediaType, ...]:
    """Return the formats offered for a query form.

    Args:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Returns:
        :data:`GRAPH_TYPES` for CONSTRUCT and DESCRIBE, else :data:`RESULT_TYPES`.
    """
    return GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Parse an ``Accept`` header into (media range, q) pairs, in header order.

    Args:
        header: the header value; None or blank means ``*/*``.

    Returns:
        Lower-cased media ranges without parameters other than q; a range
        whose q is not a number in [0, 1] gets q=0 (ignored), an entry that is
        not ``type/subtype`` is dropped.
    """
    if header is None or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if media.count("/") != 1 or not all(media.split("/")):
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q the header gives ``media``: that of the most specific range matching it, 0 if none."""
    main = media.split("/", 1)[0]
    best_rank, best_q = -1, 0.0
    for pattern, q in ranges:
        if pattern == media:
            rank = 2
        elif pattern == f"{main}/*":
            rank = 1
        elif pattern == "*/*":
            rank = 0
        else:
            continue
        if rank > best_rank:
            best_rank, best_q = rank, q
    return best_q


def negotiate(accept: str | None, offers: tuple[MediaType, ...]) -> MediaType | None:
    """Pick the format to answer in.

    Args:
        accept: the request's ``Accept`` header (None: anything).
        offers: the formats available, the server's preference first.

    Returns:
        The acceptable offer with the highest q (the earlier offer on a tie),
        or None when the header accepts none of them (answer 406).
    """
    ranges = parse_accept(accept)
    best: MediaType | None = None
    best_q = 0.0
    for offer in offers:
        q = _quality(offer.name, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def acceptable_at_all(accept: str | None) -> bool:
    """Whether an Accept header takes any format the endpoint produces (checked before running a query).

    Args:
        accept: the Accept header (None: anything).

    Returns:
        False when no query form could be answered in an acceptable format (answer 406 at once).
    """
    return negotiate(accept, RESULT_TYPES) is not None or negotiate(accept, GRAPH_TYPES) is not None


__all__ = ["GRAPH_TYPES", "MediaType", "RESULT_TYPES", "acceptable_at_all", "negotiate", "parse_accept", "types_for"]
