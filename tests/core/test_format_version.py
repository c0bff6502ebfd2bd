"""The project file format is versioned: changing the model without bumping the version fails.

tests/data/schema/project-v{N}.schema.json holds the JSON Schema of format version N. When
`Project` changes shape, the test below fails and says what to do. To store the schema of the
current version after bumping it, run from the repository root:

    PYTHONPATH=desktop .venv/bin/python -m tests.core.test_format_version --write
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, get_args

import pytest

from tunewise.core.project import FORMAT_NAME, SCHEMA_VERSION, Project
from tunewise.core.storage import MIGRATIONS, ProjectFileError, project_from_bytes

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMAS = DATA / "schema"
WRITE_COMMAND = "PYTHONPATH=desktop .venv/bin/python -m tests.core.test_format_version --write"


def schema_path(version: int) -> Path:
    return SCHEMAS / f"project-v{version}.schema.json"


def sample_path(version: int) -> Path:
    return DATA / f"project-v{version}.tunewise"


def schema_text() -> str:
    """The current model's JSON Schema, as stored: sorted keys, two-space indent, final newline."""
    return json.dumps(Project.model_json_schema(), indent=2, sort_keys=True) + "\n"


def write_schema() -> Path:
    """Store the schema of the current format version (SCHEMA_VERSION in core/project.py)."""
    path = schema_path(SCHEMA_VERSION)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    return path


BUMP_INSTRUCTIONS = f"""\
The project file format changed: Project.model_json_schema() no longer matches
{schema_path(SCHEMA_VERSION).relative_to(DATA.parent.parent)} (format version {SCHEMA_VERSION}).
Files saved by this build would not be what older builds expect. If the change is intended:
  1. bump the version in desktop/tunewise/core/project.py:
       SchemaVersion = Literal[{SCHEMA_VERSION + 1}]
  2. add a migration step {SCHEMA_VERSION} -> {SCHEMA_VERSION + 1} to MIGRATIONS in
     desktop/tunewise/core/storage.py; it sets doc["schema_version"] = {SCHEMA_VERSION + 1};
  3. add a sample file of the new version: tests/data/project-v{SCHEMA_VERSION + 1}.tunewise
     (tests/data/project-v{SCHEMA_VERSION}.tunewise stays as it is, to test the migration);
  4. store the new schema, from the repository root:
       {WRITE_COMMAND}
     (this writes tests/data/schema/project-v{SCHEMA_VERSION + 1}.schema.json; keep the old one).
If the change should not alter the file format, undo it instead."""


def test_model_matches_the_stored_schema_of_its_version() -> None:
    path = schema_path(SCHEMA_VERSION)
    assert path.is_file(), f"No stored schema for format version {SCHEMA_VERSION}.\n\n" + (
        BUMP_INSTRUCTIONS
    )
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert Project.model_json_schema() == stored, BUMP_INSTRUCTIONS


def test_schema_is_deterministic() -> None:
    # Defaults made by a factory (timestamps) must not leak into the schema.
    assert schema_text() == schema_text()
    assert (
        "default" not in Project.model_json_schema()["$defs"]["Metadata"]["properties"]["created"]
    )


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_older_version_has_a_migration_step(version: int) -> None:
    assert version in MIGRATIONS, (
        f"Format version {version} has no migration to {version + 1}: add one to MIGRATIONS in "
        "desktop/tunewise/core/storage.py."
    )


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_every_version_has_a_sample_file_that_loads(version: int) -> None:
    path = sample_path(version)
    assert path.is_file(), f"Add a sample file of format version {version}: {path.name}."
    raw = path.read_bytes()
    assert json.loads(raw)["schema_version"] == version
    project = project_from_bytes(raw, path.name)
    assert project.schema_version == SCHEMA_VERSION


def test_no_migration_beyond_the_current_version() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_literals_and_constants_agree() -> None:
    fields = Project.model_fields
    assert get_args(fields["schema_version"].annotation) == (SCHEMA_VERSION,)
    assert get_args(fields["format"].annotation) == (FORMAT_NAME,)
    assert Project().schema_version == SCHEMA_VERSION
    assert Project().format == FORMAT_NAME
    assert json.loads(Project().model_dump_json())["schema_version"] == SCHEMA_VERSION


def _document(**changes: Any) -> bytes:
    doc = json.loads(sample_path(SCHEMA_VERSION).read_bytes())
    doc.update(changes)
    return json.dumps(doc).encode("utf-8")


def test_a_newer_file_is_refused_as_newer_not_as_unknown_fields() -> None:
    raw = _document(schema_version=SCHEMA_VERSION + 1, a_field_from_the_future=True)
    with pytest.raises(ProjectFileError) as caught:
        project_from_bytes(raw, "'plan.tunewise'")
    message = str(caught.value)
    assert "newer Tunewise" in message
    assert f"version {SCHEMA_VERSION + 1}" in message
    assert "a_field_from_the_future" not in message


def test_a_current_file_with_an_unknown_field_names_it() -> None:
    raw = _document(a_field_from_the_future=True)
    with pytest.raises(ProjectFileError) as caught:
        project_from_bytes(raw, "'plan.tunewise'")
    message = str(caught.value)
    assert "a_field_from_the_future" in message
    assert "newer Tunewise" not in message


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print(f"usage: {WRITE_COMMAND}", file=sys.stderr)
        return 2
    print(f"wrote {write_schema()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
