"""Every error a user can cause, and the exit codes, in one place.

A :class:`Diagnostic` points into the user's file (``file:line:col``) with the
YAML path of the offending value, a message and a hint. A
:class:`LeafwrightError` carries one or more diagnostics; the CLI prints them
and never a traceback.

Exit codes (documented in the README):

* ``0`` -- everything asked for was built or checked without errors;
* ``1`` -- at least one leaflet failed (the others were still built);
* ``2`` -- usage or input error that stopped the command as a whole
  (unknown style, bad option, no leaflets found).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

#: the most characters of a source line shown under a message
SHOW_LINE = 100


#: The styles shipped inside the package (a message names them, not their place in the install)
SHIPPED_STYLES = (Path(__file__).resolve().parent / "styles").resolve()


def display_path(path: str | Path) -> str:
    """A file's name as messages show it: relative to the working folder when inside it,
    ``default (style)`` for a style shipped with leafwright, else as given."""
    return _display_path(str(path), os.getcwd())


@functools.lru_cache(maxsize=1024)
def _display_path(path: str, cwd: str) -> str:
    # cached: resolving a path costs a system call per folder in it (~0.1 ms), and every
    # finding of a check names its file
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):
        return str(path)
    try:
        return str(resolved.relative_to(Path(cwd)))
    except ValueError:
        pass
    try:
        rel = resolved.relative_to(SHIPPED_STYLES)
    except ValueError:
        return str(path)
    if rel.suffix in (".yaml", ".yml"):
        return f"{rel.with_suffix('')} (style)"
    return f"{rel} (shipped with leafwright)"


@dataclass(frozen=True)
class Diagnostic:
    """One problem, located in a file."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str | None = None  # e.g. sections[2].blocks[0].paragraph
    hint: str | None = None
    severity: str = "error"
    source_line: str | None = None  # the offending line, for the caret display
    code: str | None = None  # a check's rule id, e.g. LW101 (see docs/checks.md)

    def __post_init__(self) -> None:
        # an absolute path never reaches a message: relative, or a shipped style's name
        if self.file and Path(self.file).is_absolute():
            object.__setattr__(self, "file", display_path(self.file))

    def location(self) -> str:
        """``file:line:col`` (as much of it as is known)."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self, *, caret: bool = True) -> str:
        """The diagnostic as the user sees it: location, path, message, line, caret, hint."""
        # an error about no file in particular (an option, a missing folder) says what it is
        head = self.location() + ": " if self.file or self.line else f"leafwright: {self.severity}: "
        if self.code:
            head += self.code + " "
        if self.path:
            head += self.path + ": "
        out = [head + self.message]
        if caret and self.source_line is not None and self.column is not None:
            text = self.source_line.rstrip("\n")
            col = self.column - 1
            if len(text) > SHOW_LINE:  # a window round the column, not a screenful of one line
                start = max(0, min(col - SHOW_LINE // 2, len(text) - SHOW_LINE))
                shown = text[start : start + SHOW_LINE]
                lead = "…" if start else ""
                text = lead + shown + ("…" if start + SHOW_LINE < len(text) else "")
                col = col - start + len(lead)
            out.append("    " + text)
            out.append("    " + " " * col + "^")
        if self.hint:
            out.append("    hint: " + self.hint)
        return "\n".join(out)


@dataclass
class LeafwrightError(Exception):
    """An error the user can fix; carries every diagnostic found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    exit_code: int = EXIT_FAILED

    def __post_init__(self) -> None:
        super().__init__(self.format(caret=False))

    @classmethod
    def single(
        cls,
        message: str,
        *,
        file: str | Path | None = None,
        hint: str | None = None,
        exit_code: int = EXIT_FAILED,
        **kw,
    ) -> LeafwrightError:
        """An error with one diagnostic."""
        return cls(
            [Diagnostic(message, file=str(file) if file else None, hint=hint, **kw)], exit_code=exit_code
        )

    def format(self, *, caret: bool = True) -> str:
        """Every diagnostic, one block each."""
        return "\n".join(d.format(caret=caret) for d in self.diagnostics)

    def __str__(self) -> str:  # pragma: no cover - used in logs only
        return self.format(caret=False)


class YAMLSyntaxError(LeafwrightError):
    """The file is not valid YAML."""


class SchemaError(LeafwrightError):
    """The YAML is valid but does not describe a leaflet (or a style)."""


class StyleError(LeafwrightError):
    """A style is unknown, malformed, or names a font or file that does not exist."""


class MissingGlyphError(LeafwrightError):
    """A character in the leaflet is in none of the style's fonts."""


class UnsafePathError(LeafwrightError):
    """A file path points outside the leaflet's or the style's folder."""


class ContentError(LeafwrightError):
    """The leaflet's content cannot be laid out (e.g. a missing image)."""
