"""Read YAML with the line and column of every key and value, and return plain Python data.

ruamel.yaml keeps positions; everything else in clearpact sees plain dicts, lists and scalars.
Positions are 1-based here, whatever ruamel uses inside.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import ScalarNode

Path = tuple[str | int, ...]


@dataclass
class SourceMap:
    """1-based (line, column) of each key and each value, by path from the document root."""

    file: str
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, prefer: str = "value") -> tuple[int, int] | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        first, second = (self.values, self.keys) if prefer == "value" else (self.keys, self.values)
        for depth in range(len(path), -1, -1):
            prefix = path[:depth]
            for table in (first, second):
                if prefix in table:
                    return table[prefix]
        return None


class YamlSyntaxError(Exception):
    """The text is not YAML (or has duplicate keys); carries a 1-based position."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _Constructor(RoundTripConstructor):
    """Keeps an impossible date such as 2026-13-01 as its text, so validation reports it with
    its position instead of the YAML library failing without one."""

    def construct_impossible_safe_timestamp(self, node: ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _Constructor.construct_impossible_safe_timestamp
)


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse ``text``; return plain data (dates stay ``datetime.date``) and its source map.

    Duplicate keys are an error, as a YAML mapping cannot hold a key twice.
    """
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0]
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise YamlSyntaxError(problem, line, column) from None
    source = SourceMap(file=file)
    source.values[()] = (1, 1)
    return _plain(document, (), source), source


def _plain(node: Any, path: Path, source: SourceMap) -> Any:
    if isinstance(node, CommentedMap):
        result: dict[Any, Any] = {}
        for key in node:
            child = (*path, _key_text(key))
            key_line, key_col = node.lc.key(key)
            value_line, value_col = node.lc.value(key)
            source.keys[child] = (key_line + 1, key_col + 1)
            source.values[child] = (value_line + 1, value_col + 1)
            result[_scalar(key)] = _plain(node[key], child, source)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            line, col = node.lc.item(index)
            source.values[(*path, index)] = (line + 1, col + 1)
            items.append(_plain(item, (*path, index), source))
        return items
    return _scalar(node)


def _key_text(key: Any) -> str:
    return key.isoformat() if isinstance(key, dt.date) else str(key)


def _scalar(value: Any) -> Any:
    """ruamel's scalar subclasses (ScalarFloat, TimeStamp, …) as plain Python values."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime):
        return dt.datetime(*value.timetuple()[:6], value.microsecond, tzinfo=value.tzinfo)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value
