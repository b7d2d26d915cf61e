"""The editor schemas (schemas/*.json) as an editor applies them: ``instance(text)`` is a YAML file's text read as
the editor's YAML extension reads it (YAML 1.2 core schema), ``validator(kind)`` the committed schema of that kind
("policy", "owner", "entries"), ``kind_of(path)`` the kind of a data file.

Importing it needs jsonschema (a test dependency): where it is missing, the importing test or module is skipped.
"""
from __future__ import annotations

import json
import re

import pytest

from generator.reading import editor_schemas as js
from generator.reading.yamlsource import MappingNode, ScalarNode, SequenceNode, compose
from tests.support import PROJECT

jsonschema = pytest.importorskip("jsonschema")

SCHEMAS = PROJECT / "schemas"

# YAML 1.2 core schema, as the editor's YAML extension reads plain scalars
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN")


def as_editor_reads(node):
    """A composed YAML node as the editor's plain JSON value (quoted and block scalars stay strings)."""
    if type(node) is MappingNode:
        return {k.value: as_editor_reads(v) for k, v in node.value}
    if type(node) is SequenceNode:
        return [as_editor_reads(v) for v in node.value]
    assert type(node) is ScalarNode
    text = node.value
    if node.style:  # quoted or block scalars are strings
        return text
    if _NULL.fullmatch(text):
        return None
    if _BOOL.fullmatch(text):
        return text.lower() == "true"
    if _INT.fullmatch(text):
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def instance(text: str):
    """A YAML file's text as the value the editor validates (the text must compose without problems)."""
    source, problems = compose("x.yaml", text.encode("utf-8"))
    assert not problems
    return as_editor_reads(source.node)


def validator(kind: str):
    """A Draft 7 validator (formats checked) for the committed schema of ``kind``."""
    schema = json.loads((SCHEMAS / js.file_name(kind)).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def kind_of(path: str) -> str:
    """The schema kind of a data file by its path in the community."""
    return "policy" if path == "ledger/policy.yaml" else "owner" if path.startswith("owners/") else "entries"
