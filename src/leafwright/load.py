"""Stage 1: load YAML safely, keeping where every value came from.

``load_yaml(text, file)`` returns a :class:`Document`: plain Python data
(dicts, lists, str, int, float, bool, date, None) and a map from each value's
path (a tuple of keys and indices) to its ``(line, column)`` in the file, so
that later stages can point errors into the user's file.

Only YAML's safe types are built (no Python tags); duplicate keys are an error
(PyYAML silently keeps the last one, which hides a user's mistake).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, YAMLSyntaxError

try:  # the C parser is ~5x faster and gives the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """Data loaded from one YAML file, with the position of every value and key."""

    data: Any
    file: str
    lines: list[str]
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: PathKey, *, key: bool = False) -> tuple[int | None, int | None]:
        """(line, col), 1-based, of the value at ``path`` (or of its key), or the nearest parent."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        if key and p in table:
            return table[p]
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def source_line(self, line: int | None) -> str | None:
        """The text of a 1-based line, for the caret display."""
        if line is None or not (1 <= line <= len(self.lines)):
            return None
        return self.lines[line - 1]

    def diagnostic(
        self,
        path: PathKey,
        message: str,
        *,
        hint: str | None = None,
        key: bool = False,
        severity: str = "error",
    ) -> Diagnostic:
        """A diagnostic located at the value (or key) at ``path``."""
        line, col = self.position(path, key=key)
        return Diagnostic(
            message,
            file=self.file,
            line=line,
            column=col,
            path=format_path(path) or None,
            hint=hint,
            severity=severity,
            source_line=self.source_line(line),
        )


def format_path(path: PathKey) -> str:
    """``('sections', 2, 'blocks', 0)`` -> ``sections[2].blocks[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _syntax_error(exc: yaml.MarkedYAMLError, file: str, lines: list[str]) -> YAMLSyntaxError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    hint = None
    if "end of stream" in problem and exc.context_mark is not None:
        # the file ended inside something opened earlier: point at where it was opened
        mark = exc.context_mark
        if "quoted" in (exc.context or ""):
            hint = "a quote opened here is never closed: add the closing quote"
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    src = lines[line - 1] if line and line <= len(lines) else ""
    if "\t" in problem or (col and "\t" in src[:col]):
        hint = "YAML does not allow tabs for indentation: use spaces"
    elif "mapping values are not allowed" in problem:
        hint = (
            "a ': ' inside a value starts a new key; put the whole value in quotes, "
            'e.g. text: "Note: take with water"'
        )
    elif "could not find expected ':'" in problem:
        hint = "each line should be 'key: value' or '- item'; check the indentation of this line"
    elif "expected <block end>" in problem:
        hint = "this line's indentation does not match the lines above it"
    elif "found undefined tag handle" in problem or "could not determine a constructor" in problem:
        hint = "tags such as !!python/... are not allowed in leaflets"
    msg = problem
    if exc.context:
        msg = f"{exc.context}, {problem}"
    return YAMLSyntaxError(
        [
            Diagnostic(
                f"YAML syntax error: {msg}",
                file=file,
                line=line,
                column=col,
                hint=hint,
                source_line=lines[line - 1] if line and line <= len(lines) else None,
            )
        ]
    )


# Plain YAML types only: anything else (!!python/..., custom !tags) is refused before it is built.
_SAFE_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
}


class _Builder:
    """Turns a composed node graph into Python data while recording positions."""

    def __init__(self, loader: Any, doc: Document):
        self.loader = loader
        self.doc = doc
        self.errors: list[Diagnostic] = []

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.doc.positions[path] = _mark(node)
        if node.tag not in _SAFE_TAGS:
            line, col = _mark(node)
            self.errors.append(
                Diagnostic(
                    f"the tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
                    file=self.doc.file,
                    line=line,
                    column=col,
                    path=format_path(path) or None,
                    hint="leaflets hold plain text, numbers, dates, lists and mappings only; remove the tag",
                    source_line=self.doc.source_line(line),
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            self.loader.flatten_mapping(node)
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    self.errors.append(self.doc.diagnostic(path, "a key must be a plain word"))
                    continue
                key = str(key) if not isinstance(key, str) else key
                kpath = path + (key,)
                if key in out:
                    line, col = _mark(key_node)
                    self.errors.append(
                        Diagnostic(
                            f"duplicate key '{key}'",
                            file=self.doc.file,
                            line=line,
                            column=col,
                            path=format_path(kpath),
                            hint="each key may appear once in a mapping; remove or rename one of them",
                            source_line=self.doc.source_line(line),
                        )
                    )
                    continue
                self.doc.key_positions[kpath] = _mark(key_node)
                out[key] = self.build(value_node, kpath)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, bytes):
            self.errors.append(self.doc.diagnostic(path, "binary values are not allowed"))
            return None
        return value


def load_yaml(text: str, file: str | Path = "<input>") -> Document:
    """Parse YAML text safely into a :class:`Document` (data plus positions).

    Raises :class:`YAMLSyntaxError` with a located diagnostic on bad YAML.
    """
    file = str(file)
    lines = text.splitlines()
    doc = Document(data=None, file=file, lines=lines)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            doc.data = None
            return doc
        builder = _Builder(loader, doc)
        doc.data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file, lines) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YAMLSyntaxError([Diagnostic(f"YAML error: {exc}", file=file)]) from None
    finally:
        loader.dispose()
    if builder.errors:
        raise YAMLSyntaxError(builder.errors)
    return doc


def load_file(path: str | Path, *, display: str | None = None) -> Document:
    """Read and parse a YAML file; ``display`` is the name used in messages."""
    p = Path(path)
    name = display or str(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise YAMLSyntaxError([Diagnostic("file not found", file=name)], exit_code=2) from None
    except OSError as exc:
        raise YAMLSyntaxError([Diagnostic(f"cannot read file: {exc.strerror}", file=name)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YAMLSyntaxError(
            [Diagnostic("the file is not UTF-8 text", file=name, line=line, hint="save the file as UTF-8")]
        ) from None
    return load_yaml(text, name)
