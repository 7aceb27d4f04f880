"""Every saved query in docs/queries/ runs on the seed build and on the dev-corpus build and gives
the answers an analyst expects (docs/queries/README.md lists the questions)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

import pytest

from kg.query import read_query
from kg.store import open_store
from kg.store.sparql_text import prefix_names

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "docs" / "queries"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
ID = "https://w3id.org/kg/id/"
WORKSHOP_NAME = "Workshop on Strengthening Transnational Investigative Cooperation"
SEED_TITLE = "Asean member states share information to strengthen anti-trafficking cooperation"

Rows = list[dict[str, str | None]]
Ask = Callable[[str], Rows]


def _files() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.rq"))


def _asker(store_dir: Path) -> Ask:
    """Run a saved query on a store (read-only, so other tests can use it) and give rows of plain strings."""

    def ask(name: str) -> Rows:
        # no prepare_query: the files declare their own prefixes, so they run in any SPARQL tool
        with open_store(store_dir, read_only=True) as store:
            result = store.query(read_query(str(QUERIES / f"{name}.rq")))
        return [{k: (None if v is None else str(v)) for k, v in row.items()} for row in result.dicts()]

    return ask


@pytest.fixture(scope="module")
def seed(seed_build: Path) -> Ask:
    return _asker(seed_build / "store")


@pytest.fixture(scope="module")
def dev_build(tmp_path_factory: pytest.TempPathFactory, kg_cli) -> Path:  # type: ignore[no-untyped-def]
    """``kg build ../shared/corpus/dev`` once for this module (no view, no SHACL: not tested here)."""
    if not DEV.is_dir():
        pytest.skip(f"{DEV} is absent: the dev corpus is not checked out next to the repository")
    out = tmp_path_factory.mktemp("dev-build")
    kg_cli("build", str(DEV), "--out", str(out), "--no-view", "--no-validate")
    return out


@pytest.fixture(scope="module")
def dev(dev_build: Path) -> Ask:
    return _asker(dev_build / "store")


def _pairs(rows: Rows, *keys: str) -> set[tuple[str | None, ...]]:
    return {tuple(r[k] for k in keys) for r in rows}


# -- the files themselves ---------------------------------------------------------------------


def test_there_are_at_least_twelve_documented_queries() -> None:
    files = _files()
    assert len(files) >= 12
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    assert all(f"({name}.rq)" in readme for name in files)


@pytest.mark.parametrize("name", _files())
def test_query_states_its_question_and_declares_its_prefixes(name: str) -> None:
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    header = "".join(re.match(r"(?:#.*\n)+", text).group(0).split("#"))  # type: ignore[union-attr]
    assert text.startswith("# Question: ") and "?" in header, "the header comment states the question"
    used, declared = prefix_names(text)
    assert used <= declared, f"undeclared prefixes: {sorted(used - declared)}"


@pytest.mark.parametrize("name", _files())
def test_query_answers_on_both_builds(name: str, seed: Ask, dev: Ask) -> None:
    assert seed(name) is not None and dev(name) is not None  # runs; the answers are checked below


def test_kg_query_runs_a_saved_file(seed_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["query", str(QUERIES / "partof-chain.rq"), "--store", str(seed_build / "store"), "--format", "json"])
    assert stop.value.code == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert {r["ancestor"]["value"] for r in rows} == {ID + "rbpf-cid", ID + "royal-brunei-police-force",
                                                       ID + "brunei-darussalam"}


# -- answers on the seed build ----------------------------------------------------------------


def test_seed_partof_chain_reaches_the_police_force_and_the_state(seed: Ask) -> None:
    assert _pairs(seed("partof-chain"), "relation", "ancestor", "steps") == {
        ("partOf", ID + "rbpf-cid", "1"),
        ("partOf", ID + "royal-brunei-police-force", "2"),
        ("agencyOf", ID + "brunei-darussalam", "0"),
    }


def test_seed_participants_of_the_workshop_under_the_hsu_mechanism(seed: Ask) -> None:
    rows = seed("participants-under-mechanism")
    assert {r["mechanism"] for r in rows} == {ID + "hsu-process-mechanism"}
    assert {r["participant"] for r in rows} == {ID + "brunei-darussalam", ID + "bn-htiu", ID + "bn-inrd",
                                                ID + "bn-pmo-security-legal-division"}
    assert {r["start"] for r in rows} == {"2025-04-23"} and WORKSHOP_NAME in rows[0]["eventLabel"]  # type: ignore[operator]


def test_seed_brunei_agencies_work_through_the_hsu_mechanism(seed: Ask) -> None:
    rows = {(r["state"], r["agency"]): r for r in seed("agencies-of-state")}
    htiu = rows[(ID + "brunei-darussalam", ID + "bn-htiu")]
    assert "Heads of Specialist Anti-Trafficking Units" in htiu["mechanisms"]  # type: ignore[operator]
    assert (ID + "brunei-darussalam", ID + "royal-brunei-police-force") in rows
    assert (ID + "malaysia", ID + "royal-malaysia-police") in rows  # from the gazetteer


def test_seed_events_in_april_2025_are_the_workshop(seed: Ask) -> None:
    (row,) = seed("events-in-date-range")
    assert (row["startDate"], row["endDate"], row["places"]) == ("2025-04-23", "2025-04-24", "Kuala Lumpur")
    assert WORKSHOP_NAME in row["label"]  # type: ignore[operator]


def test_seed_somtc_endorsed_the_work_plan(seed: Ask) -> None:
    rows = [r for r in seed("instruments-endorsed") if r["body"] == ID + "somtc"]
    plan = next(r for r in rows if "Multi-Year Work Plan" in (r["instrumentLabel"] or ""))
    assert (plan["endorsementDate"], plan["periodStart"], plan["periodEnd"]) == ("2024-08-12", "2024", "2028")


def test_seed_observers_include_timor_leste(seed: Ask) -> None:
    (row,) = seed("observers")
    assert row["observer"] == ID + "timor-leste" and row["start"] == "2025-04-23"


def test_seed_chairs_come_from_the_gazetteer(seed: Ask) -> None:
    rows = _pairs(seed("hosts-and-chairs"), "role", "what", "who")
    assert {("chair", ID + "bali-process", ID + "australia"), ("chair", ID + "bali-process", ID + "indonesia")} <= rows


def test_seed_facts_confirmed_by_the_gazetteer(seed: Ask) -> None:
    rows = _pairs(seed("corroborated-facts"), "subject", "predicate", "object", "documents", "inReference")
    assert (ID + "rbpf-cid", "partOf", ID + "royal-brunei-police-force", "1", "true") in rows
    assert (ID + "somtc", "partOf", ID + "asean", "1", "true") in rows


def test_seed_every_fact_has_its_sentence_and_document(seed: Ask, seed_build: Path) -> None:
    rows = seed("facts-with-sources")
    report = json.loads((seed_build / "report.json").read_text(encoding="utf-8"))
    assert len(rows) == report["facts"]
    assert {(r["title"], r["issued"]) for r in rows} == {(SEED_TITLE, "2025-04-29")}
    observer = next(r for r in rows if r["predicate"] == "observerAt")
    assert observer["subjectLabel"] == "Timor-Leste" and "Timor-Leste" in observer["sentence"]  # type: ignore[operator]
    assert all(r["sentence"] and r["rule"] and 0 < float(r["confidence"] or 0) <= 1 for r in rows)


def test_seed_entity_counts_by_class(seed: Ask) -> None:
    counts = {r["class"]: (int(r["entities"] or 0), int(r["mentionedInDocuments"] or 0))
              for r in seed("entities-by-type")}
    assert counts["https://w3id.org/kg/ontology#Event"] == (1, 1)
    assert counts["https://w3id.org/kg/ontology#State"][0] >= 190
    assert counts["https://w3id.org/kg/ontology#GovernmentAgency"][1] >= 5


def test_seed_knows_no_person(seed: Ask) -> None:
    assert seed("persons-affiliations") == []


def test_seed_topics_of_the_mechanism_and_the_workshop(seed: Ask) -> None:
    rows = [r for r in seed("topics-addressed") if r["topic"] == ID + "topic/trafficking-in-persons"]
    whats = {r["what"]: r["whatType"] for r in rows}
    assert whats[ID + "hsu-process-mechanism"] == "CooperationMechanism"
    assert "Event" in {t for w, t in whats.items() if w.startswith(ID + "event/")}


def test_seed_kuala_lumpur_is_in_malaysia_and_hosted_the_workshop(seed: Ask) -> None:
    row = next(r for r in seed("places-and-states") if r["place"] == ID + "kuala-lumpur")
    assert (row["state"], row["events"]) == (ID + "malaysia", "1") and WORKSHOP_NAME in row["eventLabels"]  # type: ignore[operator]


# -- answers on the dev-corpus build ----------------------------------------------------------


def test_dev_partof_chain_is_the_same(dev: Ask, seed: Ask) -> None:
    assert dev("partof-chain") == seed("partof-chain")


def test_dev_brunei_took_part_in_an_event_under_the_hsu_mechanism(dev: Ask) -> None:
    rows = dev("participants-under-mechanism")
    assert (ID + "hsu-process-mechanism", ID + "brunei-darussalam") in _pairs(rows, "mechanism", "participant")


def test_dev_agencies_of_australia(dev: Ask) -> None:
    agencies = {r["agency"] for r in dev("agencies-of-state") if r["state"] == ID + "australia"}
    assert {ID + "australian-federal-police", ID + "australian-border-force"} <= agencies


def test_dev_april_2025_holds_the_workshop(dev: Ask) -> None:
    rows = dev("events-in-date-range")
    assert rows and all("2025-04" in (r["startDate"] or "") or "2025-04" in (r["endDate"] or "") for r in rows)
    assert any(WORKSHOP_NAME.casefold() in (r["label"] or "").casefold() for r in rows)


def test_dev_observers_of_the_aseanapol_conference(dev: Ask) -> None:
    observers = _pairs(dev("observers"), "observer", "at")
    assert {(ID + "australia", ID + "event/aseanapol-conference-2025"),
            (ID + "china", ID + "event/aseanapol-conference-2025"),
            (ID + "timor-leste", ID + "event/aseanapol-conference-2025")} <= observers


def test_dev_hosts(dev: Ask) -> None:
    assert ("host", ID + "event/21st-somtc", ID + "brunei-darussalam") in _pairs(dev("hosts-and-chairs"), "role",
                                                                                 "what", "who")


def test_dev_facts_from_several_documents(dev: Ask) -> None:
    rows = {(r["subject"], r["predicate"], r["object"]): int(r["documents"] or 0) for r in dev("corroborated-facts")}
    assert rows[(ID + "somtc", "partOf", ID + "asean")] >= 2
    assert rows[(ID + "actip", "addresses", ID + "topic/trafficking-in-persons")] >= 2


def test_dev_every_fact_has_its_source(dev: Ask, dev_build: Path) -> None:
    rows = dev("facts-with-sources")
    report = json.loads((dev_build / "report.json").read_text(encoding="utf-8"))
    assert len(rows) == report["facts"] and len({r["doc"] for r in rows}) == report["documents"]
    assert all(r["sentence"] and r["title"] for r in rows)


def test_dev_entity_counts(dev: Ask) -> None:
    counts = {r["class"]: (int(r["entities"] or 0), int(r["mentionedInDocuments"] or 0))
              for r in dev("entities-by-type")}
    events = counts["https://w3id.org/kg/ontology#Event"]
    assert events[0] >= 10 and events[0] == events[1]  # every event comes from a document
    assert counts["https://w3id.org/kg/ontology#Person"][0] >= 10


def test_dev_persons_and_affiliations(dev: Ask) -> None:
    pairs = _pairs(dev("persons-affiliations"), "person", "affiliation")
    # gold (d023): the ASEANAPOL Secretariat's Executive Director David Martinez Vinluan
    assert (ID + "person/david-martinez-vinluan", ID + "aseanapol-secretariat") in pairs
    assert all(p.startswith(ID + "person/") for p, _ in pairs)


def test_dev_topics_addressed(dev: Ask) -> None:
    assert (ID + "topic/trafficking-in-persons", ID + "actip") in _pairs(dev("topics-addressed"), "topic", "what")


def test_dev_places_and_states(dev: Ask) -> None:
    row = next(r for r in dev("places-and-states") if r["place"] == ID + "kuala-lumpur")
    assert row["state"] == ID + "malaysia" and int(row["events"] or 0) >= 2
