"""Bad inputs through the real command line: exit codes, one-line messages, coded warnings, intact stores.

Every command runs as a real ``python -m kg`` process (about 5-10 s each, as it
imports spaCy), so the module runs them all once, one per CPU at a time, in
the ``runs`` fixture, and the tests only look at the results:

* one ``kg build`` and one ``kg ingest`` of a folder mixing every kind of bad
  file (empty, white space only, PNG bytes named .txt, 50 MB, a broken and a
  looping symbolic link, a FIFO, a folder named ``x.txt``, an HTML page of
  only navigation, Markdown of only front matter, a 2 MB text over the
  parser's length limit) with good ones (UTF-16 with and without BOM, Latin-1,
  HTML full of scripts and navigation, a non-English article, plain articles,
  an odd file name): exit 0, each bad file in the warnings with its code,
  every good one in the store with its text decoded right;
* fatal cases (missing path, folder without articles, no readable article,
  malformed SPARQL, missing .rq file, missing store, unknown document): exit
  code of the README table and one ``kg: error:`` line naming the object,
  each run against its own copy of the seed store, which must keep every
  quad (or, when it names a new store, without creating it).

Known bugs are ``xfail(strict=True)`` tests whose reason starts with "BUG:".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg import KnowledgeGraph
from kg.iri import document_iri
from kg.store import open_store
from robust_inputs import (
    BAD_FILES,
    GOOD_FILES,
    HTML_CHROME_MARKERS,
    HUGE_BYTES,
    LARGE_CHARS,
    SENTENCE,
    large_text,
    write_batch,
)

#: Deadline of each command; a hang (e.g. reading a FIFO or 50 MB) fails the test instead of blocking it.
COMMAND_TIMEOUT = 300


@dataclass
class Case:
    """A command expected to fail as a whole.

    Attributes:
        args: the ``kg`` arguments.
        code: the exit code the README table gives for it.
        fragments: texts the ``kg: error:`` line must contain (the object named).
        store: the copy of the seed store it runs against (None: it names no existing store).
        absent: a path that must not exist afterwards (a store the failed command must not create).
    """

    args: list[str]
    code: int
    fragments: list[str]
    store: Path | None = None
    absent: Path | None = None


#: Names of the fatal cases built by :func:`_fatal_cases` (parametrize needs them at collection time).
FATAL = [
    "build-missing-path", "build-folder-without-articles", "build-no-readable-article",
    "ingest-missing-path", "ingest-folder-without-articles", "ingest-no-readable-article",
    "query-malformed", "query-missing-rq-file", "query-missing-store", "remove-unknown-document",
    "remove-store-locked-by-another-process",
]  # fmt: skip


#: The seed article (a document of the seed store that a remove could drop).
SEED_DOCUMENT = "000_6bd910b6c424d9d3.txt"

#: A query whose error is on line 3, column 3 of what the user typed (kg: needs no PREFIX).
MALFORMED_QUERY = "SELECT ?s WHERE {\n  ?s a kg:State .\n  FILTER(?s = )\n}"


def _graph_counts(store: Path) -> dict[str, int]:
    """Quads per named graph of an embedded store."""
    with open_store(str(store), create=False) as st:
        return {str(g): sum(1 for _ in st.quads(g)) for g in st.graph_names()}


def _fatal_cases(root: Path, seed_store: Path) -> dict[str, Case]:
    def copy(name: str) -> Path:
        dest = root / "stores" / name
        shutil.copytree(seed_store, dest)
        return dest

    missing = root / "no-such-article.txt"
    no_articles = root / "no-articles"
    no_articles.mkdir()
    (no_articles / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (no_articles / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (no_articles / "d1.meta.json").write_text("{}", encoding="utf-8")
    unreadable = root / "only-bad-files"
    unreadable.mkdir()
    (unreadable / "empty.txt").write_bytes(b"")
    (unreadable / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    no_store = root / "no-store-here"
    missing_rq = root / "nope.rq"

    cases: dict[str, Case] = {}
    s = copy("build-missing-path")
    cases["build-missing-path"] = Case(["build", str(missing), "--out", str(root / "out-1"), "--store", str(s)],
                                       3, [str(missing)], s)
    s = copy("build-folder-without-articles")
    cases["build-folder-without-articles"] = Case(
        ["build", str(no_articles), "--out", str(root / "out-2"), "--store", str(s)], 3, [str(no_articles)], s)
    s = copy("build-no-readable-article")
    cases["build-no-readable-article"] = Case(
        ["build", str(unreadable), "--out", str(root / "out-3"), "--store", str(s)], 3, ["empty.txt"], s)
    s = copy("ingest-missing-path")
    cases["ingest-missing-path"] = Case(["ingest", str(missing), "--store", str(s)], 3, [str(missing)], s)
    s = copy("ingest-folder-without-articles")
    cases["ingest-folder-without-articles"] = Case(["ingest", str(no_articles), "--store", str(s)],
                                                   3, [str(no_articles)], s)
    cases["ingest-no-readable-article"] = Case(["ingest", str(unreadable), "--store", str(root / "new-store")],
                                               3, ["empty.txt"], None, absent=root / "new-store")
    s = copy("query-malformed")
    cases["query-malformed"] = Case(["query", MALFORMED_QUERY, "--store", str(s)], 5, ["line ", "column "], s)
    s = copy("query-missing-rq-file")
    cases["query-missing-rq-file"] = Case(["query", str(missing_rq), "--store", str(s)], 3, [str(missing_rq)], s)
    # a mistyped --store: a query opens read-only and never creates a store
    cases["query-missing-store"] = Case(["query", "ASK {}", "--store", str(no_store)], 4,
                                        [f"No store at {no_store}", "kg build"], None, absent=no_store)
    s = copy("remove-unknown-document")
    cases["remove-unknown-document"] = Case(["remove", "never-ingested.txt", "--store", str(s)],
                                            3, ["never-ingested.txt"], s)
    s = copy("remove-store-locked-by-another-process")  # the runs fixture holds it open meanwhile
    cases["remove-store-locked-by-another-process"] = Case(["remove", SEED_DOCUMENT, "--store", str(s)], 4,
                                                           [str(s), "locked"], s)
    assert sorted(cases) == sorted(FATAL)
    return cases


@dataclass
class Runs:
    """Everything the module ran, once."""

    cases: dict[str, Case]
    fatal: dict[str, subprocess.CompletedProcess[str]]
    build: subprocess.CompletedProcess[str]
    build_out: Path
    ingest: subprocess.CompletedProcess[str]
    ingest_store: Path
    encoding_query: subprocess.CompletedProcess[str]
    locked_query: subprocess.CompletedProcess[str]
    new_store_ingest: subprocess.CompletedProcess[str]
    new_store: Path
    seconds: dict[str, float]  # wall time of each command (shown by -s via the timing test)

    @property
    def report(self) -> dict:  # type: ignore[type-arg]
        return json.loads((self.build_out / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_store(seed_build: Path) -> Path:
    return seed_build / "store"


@pytest.fixture(scope="module")
def seed_counts(seed_store: Path) -> dict[str, int]:
    return _graph_counts(seed_store)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, seed_store: Path, seed_counts, kg_cli) -> Runs:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("bad-input")
    batch = write_batch(root / "batch")
    cases = _fatal_cases(root, seed_store)
    build_out = root / "batch-build"
    ingest_store = root / "stores" / "batch-ingest"
    shutil.copytree(seed_store, ingest_store)

    seconds: dict[str, float] = {}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        proc = kg_cli(*args, check=False, timeout=COMMAND_TIMEOUT)
        seconds[" ".join(args)[:70]] = round(time.monotonic() - started, 1)
        return proc

    locked = cases["remove-store-locked-by-another-process"].store
    new_store = root / "stores" / "new" / "typo"
    holder = open_store(str(locked))  # takes the store's lock
    with holder, ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        build = pool.submit(run, "build", str(batch), "--out", str(build_out), "--no-view")
        ingest = pool.submit(run, "ingest", str(batch), "--store", str(ingest_store))
        fatal = {name: pool.submit(run, *case.args) for name, case in cases.items()}
        locked_query = pool.submit(run, "query", "--store", str(locked), "--format", "csv",
                                   "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a kg:Document } }")
        new_store_ingest = pool.submit(run, "ingest", str(batch / "good1.txt"), "--store", str(new_store))
        build.result()
        query = pool.submit(
            run, "query", "--store", str(build_out / "store"), "--format", "csv",
            "SELECT DISTINCT ?doc ?anchor WHERE { GRAPH ?doc { ?m kg:anchorText ?anchor } "
            "FILTER(CONTAINS(STR(?doc), 'utf16') || CONTAINS(STR(?doc), 'latin1')) } ORDER BY ?doc ?anchor")
        return Runs(cases=cases, fatal={k: f.result() for k, f in fatal.items()}, build=build.result(),
                    build_out=build_out, ingest=ingest.result(), ingest_store=ingest_store,
                    encoding_query=query.result(), locked_query=locked_query.result(),
                    new_store_ingest=new_store_ingest.result(), new_store=new_store, seconds=seconds)


def _error_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The one non-empty stderr line of a failed command, checked to start with ``kg: error:``."""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got:\n{proc.stderr}"
    assert lines[0].startswith("kg: error: "), lines[0]
    return lines[0]


def _ask(store: Path, sparql: str, **bindings: Node) -> bool:
    with KnowledgeGraph(store) as kg:
        return bool(kg.query(sparql, bindings=bindings or None).boolean)


def _literals(store: Path, graph: URIRef) -> list[str]:
    with open_store(str(store), create=False) as st:
        return [str(o) for _, _, o, _ in st.quads(graph) if isinstance(o, Literal)]


# --------------------------------------------------------------------------- fatal cases


@pytest.mark.parametrize("name", FATAL)
def test_fatal_case_exits_with_its_code_and_names_the_object(runs: Runs, name: str) -> None:
    case, proc = runs.cases[name], runs.fatal[name]
    assert proc.returncode == case.code, proc.stderr
    line = _error_line(proc)
    for fragment in case.fragments:
        assert fragment in line, f"{fragment!r} not in {line!r}"
    assert "Traceback" not in proc.stderr


#: Fatal cases that name no existing store (they check that none is created instead).
NO_STORE = ("query-missing-store", "ingest-no-readable-article")


@pytest.mark.parametrize("name", [n for n in FATAL if n not in NO_STORE])
def test_fatal_case_leaves_the_existing_store_intact(runs: Runs, seed_counts: dict[str, int], name: str) -> None:
    store = runs.cases[name].store
    assert store is not None
    assert _graph_counts(store) == seed_counts


@pytest.mark.parametrize("name", NO_STORE)
def test_failed_command_does_not_create_a_store(runs: Runs, name: str) -> None:
    case = runs.cases[name]
    assert case.absent is not None and not case.absent.exists()


@pytest.mark.parametrize("name", FATAL)
def test_error_output_is_exactly_one_line(runs: Runs, name: str) -> None:
    stderr = runs.fatal[name].stderr
    assert stderr.startswith("kg: error: ") and stderr.count("\n") == 1, repr(stderr)


def test_query_syntax_error_gives_the_line_of_the_users_text(runs: Runs) -> None:
    assert "line 3, column 3" in _error_line(runs.fatal["query-malformed"])


def test_query_reads_a_store_another_process_holds_open(runs: Runs) -> None:
    # kg query opens the store read-only: no lock taken, the holder's lock is no obstacle
    proc = runs.locked_query
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["n", "1"], proc.stdout  # the seed article, the one document


def test_ingest_into_a_new_path_creates_the_store_and_says_so(runs: Runs) -> None:
    proc = runs.new_store_ingest
    assert proc.returncode == 0, proc.stderr
    notices = [line for line in proc.stdout.splitlines() if "new store" in line]
    assert notices == [f"Created a new store at {runs.new_store} (there was none; check the path if you meant "
                       "an existing store)"], proc.stdout
    assert _ask(runs.new_store, "ASK { GRAPH ?g { ?g a kg:Document } }", g=document_iri("good1.txt"))


# --------------------------------------------------------------------------- kg build of a mixed batch


def test_batch_build_succeeds_despite_bad_files(runs: Runs) -> None:
    assert runs.build.returncode == 0, runs.build.stderr
    assert "Skipped" in runs.build.stdout
    report = runs.report
    assert report["documents"] == len(GOOD_FILES) + 1  # + large.txt, parsed in pieces (see below)
    assert report["skipped"] == len(BAD_FILES)
    assert report["validation"]["conforms"] is True


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_batch_build_reports_each_bad_file_with_its_code(runs: Runs, name: str) -> None:
    code, fragment = BAD_FILES[name]
    mine = [w for w in runs.report["warnings"] if (w["source"] or "").endswith("/" + name)]
    assert len(mine) == 1, runs.report["warnings"]
    warning = mine[0]
    assert warning["code"] == code
    assert fragment in warning["message"] and name in warning["message"]
    assert "\n" not in warning["message"]
    assert runs.report["warning_counts"][code] >= 1


@pytest.mark.parametrize("name", sorted(GOOD_FILES))
def test_batch_build_extracts_each_good_file(runs: Runs, name: str) -> None:
    store = runs.build_out / "store"
    graph = document_iri(name)
    assert _ask(store, "ASK { GRAPH ?g { ?g a kg:Document } }", g=graph)
    label = GOOD_FILES[name]
    if label:  # the text was decoded right: the entity is mentioned under its exact, accented name
        assert _ask(store, "ASK { GRAPH ?g { ?m kg:mentionOf ?e ; kg:anchorText ?label } }", g=graph,
                    label=Literal(label))
    # the good files are one article in several encodings, so their events merge (W202/W203 are notes
    # of event identity across documents, not problems with a file)
    assert not [w for w in runs.report["warnings"] if (w["source"] or "").endswith("/" + name)
                and w["code"] not in {"W202", "W203"}]


def test_odd_file_name_gives_a_percent_encoded_document_iri(runs: Runs) -> None:
    assert str(document_iri("odd name #1?.txt")) == "https://w3id.org/kg/doc/odd%20name%20%231%3F.txt"
    with open_store(str(runs.build_out / "store"), create=False) as st:
        assert URIRef("https://w3id.org/kg/doc/odd%20name%20%231%3F.txt") in st.graph_names()


def test_utf16_and_latin1_entities_through_kg_query(runs: Runs) -> None:
    proc = runs.encoding_query
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.splitlines()
    assert "https://w3id.org/kg/doc/utf16.txt,Türkiye" in rows
    assert "https://w3id.org/kg/doc/utf16.txt,Côte d'Ivoire" in rows
    assert "https://w3id.org/kg/doc/latin1.txt,São Tomé and Príncipe" in rows
    assert "https://w3id.org/kg/doc/latin1.txt,Türkiye" in rows


def test_html_scripts_navigation_and_footer_never_reach_the_graph(runs: Runs) -> None:
    literals = _literals(runs.build_out / "store", document_iri("page.html"))
    leaked = [text for text in literals for marker in HTML_CHROME_MARKERS if marker in text]
    assert not leaked
    assert any(text.startswith("Malaysia and Indonesia held a bilateral meeting") for text in literals)
    assert any("migrant smuggling under the ASEAN framework" in text for text in literals)


def test_oversized_file_is_skipped_by_its_size(runs: Runs) -> None:
    (warning,) = [w for w in runs.report["warnings"] if (w["source"] or "").endswith("/huge.txt")]
    assert f"{HUGE_BYTES // 1000:,}" in warning["message"] and "--max-bytes" in warning["message"]
    assert not _ask(runs.build_out / "store", "ASK { GRAPH ?g { ?s ?p ?o } }", g=document_iri("huge.txt"))


def test_folder_with_a_source_suffix_is_walked_not_reported(runs: Runs) -> None:
    assert not [w for w in runs.report["warnings"] if "folder-named.txt" in (w["source"] or "")]


def test_file_under_max_bytes_but_over_the_parser_limit_is_extracted(runs: Runs) -> None:
    # large.txt: 2,000,000 characters, twice spaCy's nlp.max_length, parsed in pieces (kg/extract/parse.py)
    store, graph = runs.build_out / "store", document_iri("large.txt")
    assert not [w for w in runs.report["warnings"] if (w["source"] or "").endswith("/large.txt")]
    assert _ask(store, "ASK { GRAPH ?g { ?g a kg:Document } }", g=graph)
    # mentions past the first million characters are there, at offsets that point at their text
    text = large_text()
    assert len(text) == LARGE_CHARS
    last = len(text) - len(SENTENCE)  # start of the last sentence
    assert text[last:].startswith("Brunei's delegation")
    at = last + SENTENCE.index("Kuala Lumpur")
    assert _ask(store, "ASK { GRAPH ?g { ?m kg:anchorText ?a ; kg:startOffset ?o } }", g=graph,
                a=Literal("Kuala Lumpur"), o=Literal(at))
    assert _ask(store, "ASK { GRAPH ?g { ?m kg:anchorText ?a ; kg:startOffset ?o } }", g=graph,
                a=Literal("Brunei"), o=Literal(last))


# --------------------------------------------------------------------------- kg ingest of the same batch


def test_batch_ingest_succeeds_and_warns_for_each_bad_file(runs: Runs) -> None:
    proc = runs.ingest
    assert proc.returncode == 0, proc.stderr
    assert "new store" not in proc.stdout  # the store existed
    warning_lines = [line for line in proc.stderr.splitlines() if line.startswith("warning ")]
    for name, (code, _) in BAD_FILES.items():
        assert [line for line in warning_lines if line.startswith(f"warning {code}:") and name in line], name
    assert "Traceback" not in proc.stderr


def test_batch_ingest_keeps_the_existing_graphs_and_adds_the_good_files(runs: Runs,
                                                                        seed_counts: dict[str, int]) -> None:
    counts = _graph_counts(runs.ingest_store)
    assert {g: counts.get(g) for g in seed_counts} == seed_counts
    added = set(counts) - set(seed_counts)
    assert added == {str(document_iri(name)) for name in [*GOOD_FILES, "large.txt"]}
    assert _ask(runs.ingest_store, "ASK { GRAPH ?g { ?m kg:anchorText ?label } }", g=document_iri("latin1.txt"),
                label=Literal("São Tomé and Príncipe"))


def test_commands_finish(runs: Runs) -> None:
    """Every command returned (none hung until COMMAND_TIMEOUT); prints their wall times."""
    for command, seconds in sorted(runs.seconds.items(), key=lambda item: -item[1]):
        print(f"{seconds:6.1f} s  kg {command}")
    assert len(runs.seconds) == len(FATAL) + 5


def test_broken_link_named_on_the_command_line_names_its_target(tmp_path: Path) -> None:
    from kg.documents import discover
    from kg.errors import InputError

    link = tmp_path / "article.txt"
    os.symlink(tmp_path / "moved-away.txt", link)
    with pytest.raises(InputError, match=r"article\.txt: it is a symbolic link to .*moved-away\.txt, which does not"):
        discover([link])
