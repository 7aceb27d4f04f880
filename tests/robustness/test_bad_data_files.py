"""Corrupted data files: the gazetteer (YAML) and Turtle files give a one-line ConfigError naming file and line.

There is no command, option or environment variable that points ``kg`` at
another gazetteer (kg/gazetteer.py ``default_gazetteer_path`` only looks at
the packaged ``kg/data/gazetteer.yaml`` and ``seeds/gazetteer.yaml``), so the
corrupted copies go through the API, ``load_gazetteer(path)``. There is no
TriG import either (kg/api.py has none): malformed Turtle is tested through
``kg.ontology.load_turtle`` and SHACL shapes through ``kg.validate.validate``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import ConfigError
from kg.gazetteer import load_gazetteer
from kg.ontology import load_turtle
from kg.validate import validate

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8")
ENTRY = "  - id: turkiye\n    name: Türkiye\n    type: State\n"
#: 1-based line of the Türkiye entry (its ``- id:`` line) in seeds/gazetteer.yaml.
LINE = SOURCE[: SOURCE.index(ENTRY)].count("\n") + 1

#: Corruption -> (text of the corrupted gazetteer, the line the message must give, a fragment of it).
CORRUPTIONS: dict[str, tuple[str, int | None, str]] = {
    # the parser notices the unclosed "[" on the next line
    "unclosed flow sequence": (SOURCE.replace("    name: Türkiye\n", "    name: [Türkiye\n", 1), LINE + 2, "YAML"),
    "tab indentation": (SOURCE.replace("    name: Türkiye\n", "\tname: Türkiye\n", 1), LINE + 1, "YAML"),
    "duplicate key": (SOURCE.replace("    name: Türkiye\n", "    name: Türkiye\n    name: Turkey\n", 1),
                      LINE + 2, "twice"),  # the line of the second name
    "entry without name": (SOURCE.replace("    name: Türkiye\n", "", 1), LINE, "missing name"),
    "unknown type": (SOURCE.replace(ENTRY, ENTRY.replace("State", "Nation"), 1), LINE, "unknown type 'Nation'"),
    "duplicate id": (SOURCE.replace("  - id: turkiye\n", "  - id: tunisia\n", 1), LINE, "already used"),
    "truncated half way": (SOURCE[: len(SOURCE) // 2], None, ""),
    "empty file": ("", None, ""),
    "a list, not a mapping": ("- a\n- b\n", 1, "expected a mapping"),
}


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "gazetteer.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_corrupted_gazetteer_is_a_config_error_naming_file_and_line(tmp_path: Path, name: str) -> None:
    text, line, fragment = CORRUPTIONS[name]
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_gazetteer(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    if line is not None:
        assert message.startswith(f"{path}:{line}:"), message
    assert fragment in message


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00", SOURCE.encode("latin-1", "replace")],
                         ids=["png bytes", "latin-1"])
def test_undecodable_gazetteer_is_a_one_line_config_error(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_gazetteer(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_character_in_gazetteer_gives_one_line_with_file_and_line(tmp_path: Path, char: str) -> None:
    path = _write(tmp_path, SOURCE.replace("Türkiye", f"Tür{char}kiye", 1))
    with pytest.raises(ConfigError) as info:
        load_gazetteer(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{LINE + 1}:") and "\n" not in message, message
    assert f"U+{ord(char):04X} at column 14" in message and "remove it" in message


MALFORMED_TURTLE = {
    "unterminated string": '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d "never closed .\n',
    "missing final dot": "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c\nex:d ex:e ex:f .\n",
    "undeclared prefix": "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a nope:b ex:c .\n",
}


@pytest.mark.parametrize("name", sorted(MALFORMED_TURTLE))
def test_malformed_turtle_is_a_config_error_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(MALFORMED_TURTLE[name], encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_turtle(path, what="test")
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    assert "line" in message


def test_malformed_shapes_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text(MALFORMED_TURTLE["unterminated string"], encoding="utf-8")
    with pytest.raises(ConfigError, match="shapes"):
        validate(Graph(), shapes=path)
