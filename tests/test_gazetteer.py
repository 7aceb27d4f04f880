"""Tests of kg.gazetteer: the registry data, its validation and its lookup helpers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.errors import ConfigError
from kg.gazetteer import (
    ENTITY_CLASSES,
    TOPIC_PREFIX,
    Gazetteer,
    default_gazetteer_path,
    form_variants,
    load_demonyms,
    load_gazetteer,
    load_topics,
)
from kg.iri import registry_iri, topic_iri


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def forms(gaz: Gazetteer) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for form, entry_id in gaz.surface_forms():
        out.setdefault(form, set()).add(entry_id)
    return out


@pytest.fixture(scope="module")
def topic_forms(gaz: Gazetteer) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for form, label in gaz.topic_forms():
        out.setdefault(form.casefold(), set()).add(label)
    return out


# --------------------------------------------------------------------------- shipped data


def test_default_path_is_the_seed_file_of_the_source_tree() -> None:
    path = default_gazetteer_path()
    assert path.is_file()
    assert str(path).replace("\\", "/").endswith(("seeds/gazetteer.yaml", "kg/data/gazetteer.yaml"))


def test_shipped_gazetteer_loads_with_only_ambiguity_warnings(gaz: Gazetteer) -> None:
    assert len(gaz) > 550
    assert {w.code for w in gaz.warnings} <= {"W701"}
    assert all(re.match(r".+:\d+: ", w.message) for w in gaz.warnings)


def test_somtc_is_a_sectoral_body_part_of_asean_reporting_to_ammtc(gaz: Gazetteer) -> None:
    somtc = gaz.entry("somtc")
    assert somtc is not None
    assert somtc.name == "ASEAN Senior Officials Meeting on Transnational Crime"
    assert somtc.type == "SectoralBody"
    assert "SOMTC" in somtc.acronyms
    assert ("partOf", "asean") in somtc.relations
    assert ("reportsTo", "ammtc") in somtc.relations
    assert somtc.targets("addresses") == ("topic:transnational crime",)
    assert somtc.line > 0


def test_viet_nam_and_vietnam_are_forms_of_one_state(forms: dict[str, set[str]], gaz: Gazetteer) -> None:
    assert forms["Viet Nam"] == forms["Vietnam"] == {"viet_nam"}
    state = gaz.entry("viet_nam")
    assert state is not None and state.type == "State"
    assert (state.iso_alpha2, state.iso_alpha3, state.iso_numeric) == ("VN", "VNM", "704")


@pytest.mark.parametrize(
    ("state_id", "variants"),
    [
        ("lao_pdr", ["Lao People's Democratic Republic", "Lao People’s Democratic Republic", "Lao PDR", "Laos"]),
        ("brunei_darussalam", ["Brunei Darussalam", "Brunei"]),
        ("republic_of_korea", ["Republic of Korea", "South Korea", "Korea", "ROK"]),
        ("turkiye", ["Türkiye", "Turkey"]),
        ("united_states", ["United States", "US", "U.S.", "USA", "United States of America"]),
        ("united_kingdom", ["United Kingdom", "UK", "Britain", "United Kingdom of Great Britain and Northern Ireland"]),
        ("timor_leste", ["Timor-Leste", "Timor–Leste", "Timor Leste", "East Timor"]),
        ("myanmar", ["Myanmar", "Burma"]),
        ("russia", ["Russian Federation", "Russia"]),
        ("united_arab_emirates", ["United Arab Emirates", "UAE"]),
        ("philippines", ["Philippines", "Republic of the Philippines"]),
        ("cote_d_ivoire", ["Côte d'Ivoire", "Côte d’Ivoire", "Ivory Coast"]),
        ("palestine", ["State of Palestine", "Palestine"]),
        ("holy_see", ["Holy See"]),
    ],
)
def test_state_spelling_variants_are_surface_forms(forms: dict[str, set[str]], state_id: str, variants: list[str]) -> None:
    for variant in variants:
        assert state_id in forms[variant], variant


def test_every_un_member_and_observer_state_has_unique_iso_codes(gaz: Gazetteer) -> None:
    states = list(gaz.of_type("State"))
    assert len(states) == 195  # 193 UN members + the Holy See and the State of Palestine
    assert len({s.iso_alpha2 for s in states}) == len({s.iso_alpha3 for s in states}) == 195
    assert all(s.iso_alpha2 and s.iso_alpha3 and s.iso_numeric for s in states)
    assert gaz.entry("norway") is not None and gaz.entry("norway").iso_alpha2 == "NO"  # type: ignore[union-attr]
    assert not any(s.id == "taiwan" for s in states)


def test_every_relation_target_resolves(gaz: Gazetteer) -> None:
    topic_refs = {t.reference for t in gaz.topics}
    for entry in gaz:
        for predicate, target in entry.relations:
            if target.startswith(TOPIC_PREFIX):
                assert target in topic_refs, (entry.id, predicate, target)
            else:
                assert target in gaz, (entry.id, predicate, target)
        for predecessor in entry.replaces:
            assert predecessor in gaz


def test_every_entry_has_a_known_type_and_http_sources(gaz: Gazetteer) -> None:
    for entry in gaz:
        assert entry.type in ENTITY_CLASSES
        assert entry.name.strip() == entry.name
        assert entry.sources and all(u.startswith(("http://", "https://")) for u in entry.sources)


def test_agencies_of_a_state_point_at_states(gaz: Gazetteer) -> None:
    for entry in gaz:
        for target in entry.targets("agencyOf"):
            assert gaz.entry(target).type == "State"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "agency", ["europol", "eurojust", "frontex", "cepol", "euaa", "fra", "eige", "euda", "eu_lisa", "eurofound"]
)
def test_eu_agencies_are_sectoral_bodies_part_of_the_eu(gaz: Gazetteer, agency: str) -> None:
    entry = gaz.entry(agency)
    assert entry is not None
    assert entry.type == "SectoralBody"
    assert ("partOf", "eu") in entry.relations


@pytest.mark.parametrize(
    ("form", "entry_id", "cls"),
    [
        ("INTERPOL", "interpol", "InternationalOrganization"),
        ("UNODC", "unodc", "InternationalOrganization"),
        ("IOM", "iom", "InternationalOrganization"),
        ("OHCHR", "ohchr", "InternationalOrganization"),
        ("Bali Process", "bali_process", "CooperationMechanism"),
        ("Khartoum Process", "khartoum_process", "CooperationMechanism"),
        ("Rabat Process", "rabat_process", "CooperationMechanism"),
        ("COMMIT", "commit", "CooperationMechanism"),
        ("ASEANAPOL", "aseanapol", "CooperationMechanism"),
        ("SAARC", "saarc", "RegionalOrganization"),
        ("ECOWAS", "ecowas", "RegionalOrganization"),
        ("SADC", "sadc", "RegionalOrganization"),
        ("Gulf Cooperation Council", "gcc", "RegionalOrganization"),
        ("Pacific Islands Forum", "pif", "RegionalOrganization"),
        ("ODIHR", "odihr", "SectoralBody"),
        ("FBI", "fbi", "GovernmentAgency"),
        ("Australian Federal Police", "australian_federal_police", "GovernmentAgency"),
        ("Polri", "polri", "GovernmentAgency"),
        ("Royal Malaysia Police", "royal_malaysia_police", "GovernmentAgency"),
        ("ASEAN-ACT", "asean_act", "Programme"),
        ("ACTIP", "actip", "Instrument"),
    ],
)
def test_frequent_bodies_are_registered_with_their_class(
    forms: dict[str, set[str]], gaz: Gazetteer, form: str, entry_id: str, cls: str
) -> None:
    assert entry_id in forms[form]
    assert gaz.entry(entry_id).type == cls  # type: ignore[union-attr]


def test_names_are_full_names_and_acronyms_are_separate(gaz: Gazetteer) -> None:
    interpol = gaz.entry("interpol")
    assert interpol is not None and interpol.name == "International Criminal Police Organization"
    assert "INTERPOL" in interpol.acronyms and "INTERPOL" not in interpol.aliases
    empact = gaz.entry("empact")
    assert empact is not None and empact.name == "European Multidisciplinary Platform Against Criminal Threats"


def test_fact_sheet_notes_are_not_copied_into_forms(gaz: Gazetteer) -> None:
    for entry in gaz:
        for form in (*entry.acronyms, *entry.aliases):
            assert not re.search(r"\b(former|predecessor|variant|usage|precursor)\b", form), (entry.id, form)
    assert "Office for Drug Control and Crime Prevention" in gaz.entry("unodc").aliases  # type: ignore[union-attr]


def test_periods_years_and_wikidata_carry_over(gaz: Gazetteer) -> None:
    act = gaz.entry("asean_act")
    assert act is not None and act.period is not None
    assert (act.period.start, act.period.end) == (2018, 2028)
    assert act.replaces == ("aaptip",)
    asean = gaz.entry("asean")
    assert asean is not None and asean.established == 1967 and asean.wikidata == "Q7768"
    plan = gaz.entry("asean_multi_year_work_plan_2024_2028")
    assert plan is not None and str(plan.endorsement_date) == "2024-08-12"


def test_entry_lookup_and_iris(gaz: Gazetteer) -> None:
    assert gaz.entry("no_such_body") is None
    assert gaz.entry("topic:cybercrime") is None
    with pytest.raises(KeyError):
        gaz.require("no_such_body")
    assert gaz.iri("brunei_darussalam") == registry_iri("brunei_darussalam")
    assert str(gaz.iri("brunei_darussalam")) == "https://w3id.org/kg/id/brunei-darussalam"
    assert gaz.iri("topic:trafficking in persons") == topic_iri("trafficking in persons")
    with pytest.raises(KeyError):
        gaz.iri("topic:immigration")


# --------------------------------------------------------------------------- surface forms


def test_form_variants_strip_the_and_swap_apostrophes_and_dashes() -> None:
    assert form_variants("the Hague") == ["the Hague", "Hague"]
    assert "Lao People’s Democratic Republic" in form_variants("Lao People's Democratic Republic")
    assert "Prime Minister's Office" in form_variants("Prime Minister’s Office")
    assert "ASEAN–ACT" in form_variants("ASEAN-ACT")
    assert "ASEAN - Australia Counter Trafficking" in form_variants("ASEAN – Australia Counter Trafficking")
    assert form_variants("ASEAN") == ["ASEAN"]


def test_qualified_agency_names_also_match_without_the_qualifier(forms: dict[str, set[str]]) -> None:
    assert "th_moj" in forms["Ministry of Justice"]
    assert "rbpf_cid" in forms["Criminal Investigation Department"]
    assert "bn_inrd" in forms["Immigration and National Registration Department"]
    assert "us_jtip" in forms["Office to Monitor and Combat Trafficking in Persons"]
    # a qualifier that is not a related entity stays
    assert "singapore_city" not in forms["Singapore"]


def test_ambiguous_acronyms_are_reported_not_rejected(gaz: Gazetteer, forms: dict[str, set[str]]) -> None:
    assert forms["MOHA"] >= {"bn_moha", "my_moha", "mm_moha"}
    assert any(w.code == "W701" and "'MOHA'" in w.message for w in gaz.warnings)


# --------------------------------------------------------------------------- topics and demonyms


def test_trafficking_in_persons_carries_the_required_aliases(topic_forms: dict[str, set[str]]) -> None:
    for form in ("trafficking in persons", "human trafficking", "TIP", "anti-trafficking",
                 "trafficking in human beings", "THB", "counter-trafficking", "trafficking in women and children"):
        assert topic_forms[form.casefold()] == {"trafficking in persons"}, form


@pytest.mark.parametrize(
    ("form", "label"),
    [
        ("human smuggling", "people smuggling"),
        ("smuggling of migrants", "people smuggling"),
        ("illegal arms trade", "arms smuggling"),
        ("piracy", "sea piracy"),
        ("cross-border crime", "transnational crime"),
        ("border management", "border security"),
        ("illegal immigration", "irregular migration"),
        ("cyber crime", "cybercrime"),
        ("illegal wildlife trade", "wildlife trafficking"),
        ("illicit drug trafficking", "drug trafficking"),
        ("radicalization", "radicalisation"),
        ("violent extremism", "violent extremism"),
        ("organized crime", "organised crime"),
        ("online scams", "online fraud"),
        ("corruption", "corruption"),
    ],
)
def test_topic_variants_map_to_the_listed_topic(topic_forms: dict[str, set[str]], form: str, label: str) -> None:
    assert topic_forms[form.casefold()] == {label}


def test_administrative_fields_are_not_topics(topic_forms: dict[str, set[str]]) -> None:
    for field in ("immigration", "consular affairs", "extradition", "mutual legal assistance",
                  "capacity building", "forensic science", "migration management", "forced labour"):
        assert field not in topic_forms


def test_topics_file_loads_on_its_own() -> None:
    labels = [t.label for t in load_topics()]
    assert labels[0] == "trafficking in persons"
    assert {"violent extremism", "radicalisation", "terrorism"} <= set(labels)


def test_demonyms_point_at_states(gaz: Gazetteer) -> None:
    expected = {
        "Malaysian": "malaysia", "Bruneian": "brunei_darussalam", "Indonesian": "indonesia", "Thai": "thailand",
        "Filipino": "philippines", "Philippine": "philippines", "Vietnamese": "viet_nam", "Lao": "lao_pdr",
        "Laotian": "lao_pdr", "Cambodian": "cambodia", "Myanmar": "myanmar", "Singaporean": "singapore",
        "Australian": "australia", "Japanese": "japan", "Chinese": "china", "Korean": "republic_of_korea",
        "American": "united_states", "British": "united_kingdom", "Timorese": "timor_leste", "Dutch": "netherlands",
    }
    for adjective, state in expected.items():
        assert gaz.demonyms[adjective] == state
    assert all(gaz.entry(s).type == "State" for s in gaz.demonyms.values())  # type: ignore[union-attr]
    assert len(load_demonyms()) == len(gaz.demonyms) > 200
    assert "Congolese" not in gaz.demonyms  # ambiguous between two states
    assert gaz.demonyms_of("philippines") == ["Philippine", "Filipino"]


# --------------------------------------------------------------------------- validation errors

_TOPICS = """topics:
  - label: trafficking in persons
    aliases: [human trafficking]
"""
_DEMONYMS = """demonyms:
  malaysia: [Malaysian]
"""
_GOOD = """format: 1
entities:
  - id: asean
    name: Association of Southeast Asian Nations
    type: RegionalOrganization
    acronyms: [ASEAN]
    sources: ["https://asean.org/"]
  - id: malaysia
    name: Malaysia
    type: State
    relations:
      memberOf: [asean]
    iso: {alpha2: MY, alpha3: MYS, numeric: "458"}
    sources: ["https://www.un.org/en/about-us/member-states"]
"""


def _load(tmp_path: Path, gazetteer: str, *, topics: str = _TOPICS, demonyms: str = _DEMONYMS) -> Gazetteer:
    (tmp_path / "g.yaml").write_text(gazetteer, encoding="utf-8")
    (tmp_path / "t.yaml").write_text(topics, encoding="utf-8")
    (tmp_path / "d.yaml").write_text(demonyms, encoding="utf-8")
    return load_gazetteer(tmp_path / "g.yaml", topics_path=tmp_path / "t.yaml", demonyms_path=tmp_path / "d.yaml")


def _append_entry(text: str) -> str:
    return _GOOD + text


def test_small_valid_file_loads(tmp_path: Path) -> None:
    g = _load(tmp_path, _GOOD)
    assert [e.id for e in g] == ["asean", "malaysia"]
    assert g.entry("malaysia").line == 8  # type: ignore[union-attr]
    assert g.demonyms == {"Malaysian": "malaysia"}


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = _GOOD + "  - id: bad\n    name: [unclosed\n    type: State\n"
    with pytest.raises(ConfigError, match=r"g\.yaml:1[5-8]: not valid YAML"):
        _load(tmp_path, broken)


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        ("  - id: somtc\n    name: SOMTC\n    type: SectoralBod\n    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:15: entry 'somtc': unknown type 'SectoralBod'"),
        ("  - id: somtc\n    name: SOMTC\n    type: SectoralBody\n    relations:\n      partOf: [aseaan]\n"
         "    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:19: entry 'somtc': partOf target 'aseaan' is not an id"),
        ("  - id: asean\n    name: Other\n    type: SectoralBody\n    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:15: id 'asean' already used at line 3"),
        ("  - id: somtc\n    name: \"\"\n    type: SectoralBody\n    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:15: entry 'somtc': missing name"),
        ("  - id: somtc\n    name: SOMTC\n    type: SectoralBody\n",
         r"g\.yaml:15: entry 'somtc': missing sources"),
        ("  - id: somtc\n    name: SOMTC\n    type: SectoralBody\n    alias: [x]\n    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:15: entry 'somtc': unknown field\(s\) alias"),
        ("  - id: somtc\n    name: SOMTC\n    type: SectoralBody\n    relations:\n      addresses: [\"topic:immigration\"]\n"
         "    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:19: .*'topic:immigration' is not a Topic label"),
        ("  - id: norway\n    name: Norway\n    type: State\n    iso: {alpha2: NO, alpha3: NOR}\n"
         "    sources: [\"https://www.un.org/\"]\n",
         r"g\.yaml:18: entry 'norway': iso alpha2 False is malformed; quote it"),
        ("  - id: rmp\n    name: Royal Malaysia Police\n    type: GovernmentAgency\n    relations:\n"
         "      agencyOf: [asean]\n    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:19: .*agencyOf target 'asean' is a RegionalOrganization"),
        ("  - id: dup\n    name: malaysia\n    type: Place\n    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:15: entry 'dup': name 'malaysia' is also the name of 'malaysia'"),
        ("  - id: somtc\n    name: SOMTC\n    type: SectoralBody\n    established: 97\n    sources: [\"https://asean.org/\"]\n",
         r"g\.yaml:15: entry 'somtc': established 97 is not a year"),
    ],
)
def test_invalid_entry_is_reported_with_its_line(tmp_path: Path, extra: str, pattern: str) -> None:
    with pytest.raises(ConfigError, match=pattern):
        _load(tmp_path, _append_entry(extra))


def test_duplicate_key_is_reported_with_its_line(tmp_path: Path) -> None:
    text = _GOOD.replace("    acronyms: [ASEAN]\n", "    acronyms: [ASEAN]\n    acronyms: [AS]\n")
    with pytest.raises(ConfigError, match=r"g\.yaml:7: key 'acronyms' appears twice"):
        _load(tmp_path, text)


def test_several_problems_are_counted(tmp_path: Path) -> None:
    extra = ("  - id: a1\n    name: A1\n    type: Nope\n    sources: [\"https://x.org/\"]\n"
             "  - id: a2\n    name: A2\n    type: Nope\n    sources: [\"https://x.org/\"]\n")
    with pytest.raises(ConfigError, match=r"g\.yaml:15: .*\(and 1 more problem in this file\)"):
        _load(tmp_path, _append_entry(extra))


def test_demonym_of_a_non_state_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"d\.yaml:2: demonym 'ASEAN-ish' points at 'asean', which is not a State"):
        _load(tmp_path, _GOOD, demonyms="demonyms:\n  asean: [ASEAN-ish]\n")


def test_demonym_given_to_two_states_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text("demonyms:\n  congo: [Congolese]\n  drc: [Congolese]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"d\.yaml:3: 'Congolese' is already the demonym of congo"):
        load_demonyms(tmp_path / "d.yaml")


def test_form_naming_two_topics_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "topics:\n  - label: terrorism\n  - label: violent extremism\n    aliases: [Terrorism]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"t\.yaml:3: 'Terrorism' already names topic 'terrorism'"):
        load_topics(tmp_path / "t.yaml")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read it"):
        load_gazetteer(tmp_path / "absent.yaml")
