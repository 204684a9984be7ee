"""The wall round pypdf's private parts: every use of them is in this module.

pypdf has no public way to set a file's /ID, nor a public Adobe Glyph List or
built-in font encodings. ``tests/test_reportlab_internals.py`` (the canary for both
libraries) checks each of these against the installed pypdf, so an upgrade that moves
one fails there by name. Tested against pypdf :data:`TESTED`.
"""

from __future__ import annotations

from typing import Any

from pypdf.generic import ArrayObject, ByteStringObject

#: The pypdf major versions the private parts below were checked against.
TESTED = ("7",)


def adobe_glyphs() -> dict[str, str]:
    """The Adobe Glyph List: '/name' -> the text it stands for (empty if pypdf moved it)."""
    try:
        from pypdf._codecs import adobe_glyphs as table
    except ImportError:  # pragma: no cover - the canary test fails first
        return {}
    return dict(table)


def charset_encodings() -> dict[str, Any]:
    """pypdf's built-in simple-font encodings by name ('/WinAnsiEncoding', ...)."""
    try:
        from pypdf._codecs import charset_encoding
    except ImportError:  # pragma: no cover - the canary test fails first
        return {}
    return dict(charset_encoding)


def set_file_id(writer: Any, digest: bytes) -> None:
    """Give the file written by ``writer`` the /ID [digest digest] (PDF 32000-1 §14.4).

    pypdf has no public setter; without this it writes no /ID at all, or a random one
    if asked to generate it. Both parts equal: a new file (§14.4).
    """
    first = ByteStringObject(digest)
    writer._ID = ArrayObject([first, ByteStringObject(bytes(first))])
