"""Stage 1: load YAML safely, keeping where every value came from.

``load_yaml(text, file)`` returns a :class:`Document`: plain Python data
(dicts, lists, str, int, float, bool, date, None) and a map from each value's
path (a tuple of keys and indices) to its ``(line, column)`` in the file, so
that later stages can point errors into the user's file.

Only YAML's safe types are built (no Python tags); duplicate keys are an error
(PyYAML silently keeps the last one, which hides a user's mistake).
"""

from __future__ import annotations

import unicodedata
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

#: The largest leaflet (or style) file read: a long leaflet is ~50 kB, so this leaves room
#: while refusing a file that would take minutes (and gigabytes) to parse.
MAX_FILE_BYTES = 2_000_000
#: The most values a file may expand to: aliases (``*name``) reuse a value, and a "billion
#: laughs" file of nested aliases expands to billions of them from a few lines.
MAX_VALUES = 200_000
#: How deep mappings and lists may nest (200 nested sections is ~600 levels).
MAX_DEPTH = 100

# Invisible format characters pasted from word processors and web pages. They draw as a box
# (no font has them) or, for the soft hyphen, make the tagged text join words at line ends:
# dropped. Variation selectors only choose between text and emoji presentation. The zero-width
# non-joiner and joiner (U+200C, U+200D) are kept: Persian, Urdu and Indic spelling needs them
# (they steer shaping and are never drawn).
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u180e\u200b\u200e\u200f\u2060\u2061\u2062\u2063\u2064"
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufe0e\ufe0f",
    )
)


def clean_text(text: str) -> str:
    """Text as leafwright uses it: Unicode NFC, without invisible format characters.

    NFC so that a letter and its accent typed as two characters (as macOS and some web
    pages store Vietnamese) draw as the one accented letter the font has.
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


@dataclass
class Document:
    """Data loaded from one YAML file, with the position of every value and key."""

    data: Any
    file: str
    lines: list[str]
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    written: dict[PathKey, str] = field(default_factory=dict)
    """Plain scalars YAML turned into something other than text (``no`` -> false, ``1.10``
    -> 1.1, ``1:30`` -> 90, a date), as the user wrote them: where the schema expects text,
    the text is used (see :func:`leafwright.model.validate_model`)."""

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

    def text_position(self, path: PathKey, text: str, offset: int) -> tuple[int | None, int | None]:
        """(line, col) of character ``offset`` of the text value at ``path``.

        Found by looking for the text from that character on in the lines from the
        value's start; the value's own position when the text is folded past finding.
        """
        line, col = self.position(path)
        if line is None:
            return line, col
        piece = text[offset:].split("\n", 1)[0][:30]
        if not piece.strip():
            return line, col
        for n in range(line, min(line + 200, len(self.lines) + 1)):
            src = self.lines[n - 1]
            at = src.find(piece, (col or 1) - 1 if n == line else 0)
            if at >= 0:
                return n, at + 1
        return line, col

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
        self.open: set[int] = set()  # the collections being built, to catch &a [*a]

    def _limit(self, node: yaml.Node, path: PathKey, message: str, hint: str) -> YAMLSyntaxError:
        line, col = _mark(node)
        return YAMLSyntaxError(
            [
                Diagnostic(
                    message,
                    file=self.doc.file,
                    line=line,
                    column=col,
                    path=format_path(path) or None,
                    hint=hint,
                    source_line=self.doc.source_line(line),
                )
            ]
        )

    def check_size(self, root: yaml.Node) -> None:
        """Refuse a node graph that expands to too many values or nests too deep, before building.

        Aliases share nodes, so the graph is small even when its expansion is huge: sizes
        are counted once per node (memoised), in time linear in the file.
        """
        sizes: dict[int, int] = {}

        def size(node: yaml.Node, depth: int) -> int:
            known = sizes.get(id(node))
            if known is not None:
                return known
            if depth > MAX_DEPTH:
                raise self._limit(
                    node,
                    (),
                    f"values are nested more than {MAX_DEPTH} deep",
                    "a leaflet's sections nest a few levels at most: move sections up a level",
                )
            sizes[id(node)] = 1  # a node that holds itself (&a [*a]) counts once
            n = 1
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    n += size(k, depth + 1) + size(v, depth + 1)
                    if n > MAX_VALUES:
                        break
            elif isinstance(node, yaml.SequenceNode):
                for v in node.value:
                    n += size(v, depth + 1)
                    if n > MAX_VALUES:
                        break
            if n > MAX_VALUES:
                raise self._limit(
                    node,
                    (),
                    f"the file expands to more than {MAX_VALUES:,} values",
                    "aliases (*name) that repeat aliases multiply: write the content out instead",
                )
            sizes[id(node)] = n
            return n

        size(root, 0)

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
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.open:  # &a [*a]: a value that holds itself
                raise self._limit(
                    node,
                    path,
                    "an alias refers to the value it is inside, which would never end",
                    "remove the alias (*name) or point it at another value",
                )
            self.open.add(id(node))
            try:
                return self._build_collection(node, path)
            finally:
                self.open.discard(id(node))
        return self._build_scalar(node, path)

    def _build_collection(self, node: yaml.Node, path: PathKey) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            self.loader.flatten_mapping(node)
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_TAGS:
                    self.errors.append(self.doc.diagnostic(path, "a key must be a plain word"))
                    continue
                # a key is the word written (``no:`` is the key 'no', not false)
                key = clean_text(key_node.value)
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
        return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]

    def _build_scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if node.tag == "tag:yaml.org,2002:str":
            return clean_text(node.value)
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, TypeError):
            # an impossible date (2026-02-30): kept as written; the schema says what is wrong
            return clean_text(node.value)
        if (
            not getattr(node, "style", None) and value is not None
        ):  # plain, unquoted: remember how it was written
            self.doc.written[path] = clean_text(node.value)
        return value


def load_yaml(text: str, file: str | Path = "<input>") -> Document:
    """Parse YAML text safely into a :class:`Document` (data plus positions).

    Raises :class:`YAMLSyntaxError` with a located diagnostic on bad YAML.
    """
    file = str(file)
    lines = text.splitlines()
    doc = Document(data=None, file=file, lines=lines)
    if len(text) > MAX_FILE_BYTES:
        raise _too_big(file, len(text.encode("utf-8", "surrogatepass")))
    loader = _Loader(text)
    builder = None
    try:
        node = loader.get_single_node()
        if node is None:
            doc.data = None
            return doc
        builder = _Builder(loader, doc)
        builder.check_size(node)
        doc.data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file, lines) from None
    except yaml.reader.ReaderError as exc:  # a control character YAML refuses
        raise _reader_error(exc, file, text, lines) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YAMLSyntaxError([Diagnostic(f"YAML error: {exc}", file=file)]) from None
    finally:
        loader.dispose()
    if builder is not None and builder.errors:
        raise YAMLSyntaxError(builder.errors)
    return doc


def _reader_error(exc: yaml.reader.ReaderError, file: str, text: str, lines: list[str]) -> YAMLSyntaxError:
    """A character YAML does not allow (a control character), at its line and column."""
    import unicodedata as ud

    pos = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    ch = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    name = ud.name(ch, "a control character")
    return YAMLSyntaxError(
        [
            Diagnostic(
                f"the file holds the character U+{ord(ch[:1] or ' '):04X} ({name}), "
                "which YAML does not allow",
                file=file,
                line=line,
                column=col,
                hint="delete it: it is invisible in most editors (copying from a web page or PDF "
                "can bring it in)",
                source_line=lines[line - 1] if line <= len(lines) else None,
            )
        ]
    )


def _too_big(file: str, size: int) -> YAMLSyntaxError:
    return YAMLSyntaxError(
        [
            Diagnostic(
                f"the file is {size / 1e6:.1f} MB; a leaflet file may be at most {MAX_FILE_BYTES / 1e6:g} MB",
                file=file,
                hint="a leaflet is a few pages of text: split a longer one into several leaflets",
            )
        ]
    )


def load_file(path: str | Path, *, display: str | None = None) -> Document:
    """Read and parse a YAML file; ``display`` is the name used in messages."""
    p = Path(path)
    name = display or str(path)
    try:
        if p.is_dir():
            raise YAMLSyntaxError([Diagnostic("this is a folder, not a file", file=name)], exit_code=2)
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:  # refused before it is read
            raise _too_big(name, size)
        raw = p.read_bytes()
    except FileNotFoundError:
        raise YAMLSyntaxError([Diagnostic("file not found", file=name)], exit_code=2) from None
    except OSError as exc:
        raise YAMLSyntaxError([Diagnostic(f"cannot read file: {exc.strerror}", file=name)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        src = raw.split(b"\n")[line - 1].decode("utf-8", "replace")
        raise YAMLSyntaxError(
            [
                Diagnostic(
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X} cannot start a character here)",
                    file=name,
                    line=line,
                    column=len(raw.split(b"\n")[line - 1][: col - 1].decode("utf-8", "replace")) + 1,
                    hint="save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8); "
                    "it looks like Latin-1 or Windows-1252",
                    source_line=src,
                )
            ]
        ) from None
    return load_yaml(text, name)
