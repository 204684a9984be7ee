"""The build manifest, ``out/manifest.json``: one entry for every PDF in the folder.

A website or a clinic's document system reads it to list the leaflets; the
batch runner reads it to skip jobs whose inputs have not changed. It is sorted
and holds no timestamps, so the same library built twice gives the same file.

The entry classes are plain dataclasses (reading and writing the manifest needs
no pydantic); ``manifest_json_schema()`` generates the JSON Schema from them,
shipped as ``docs/manifest.schema.json``.

Two builds may write into the same folder at once: every update takes an
exclusive lock on the ``out/`` folder (flock), re-reads the manifest, merges its own
entries and replaces the file atomically, so neither loses the other's entries
and a reader never sees a half-written manifest.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Iterator, Literal

from . import __version__

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


@dataclass
class ManifestEntry:
    """One PDF (or web page) in the output folder and what it was built from."""

    path: str
    """The PDF's path relative to the manifest's folder (forward slashes)."""
    leaflet_id: str
    """The leaflet's id (it names the file)."""
    title: str
    """The leaflet's title."""
    language: str
    """The leaflet's language (BCP 47 tag)."""
    version: str
    """The leaflet's version."""
    published: str
    """Publication date of this version (YYYY-MM-DD)."""
    review_by: str
    """Date by which the content must be reviewed (YYYY-MM-DD)."""
    variant: str
    """The edition: standard, large-print, or another variant."""
    style: str
    """The style it was built in, by name (a style file given by path: its name without .yaml)."""
    source: str
    """The leaflet file, relative to the manifest's folder."""
    pages: int
    """Number of pages."""
    bytes: int
    """File size in bytes."""
    sha256: str
    """SHA-256 of the PDF file (hex)."""
    pdfua: Literal["passed", "failed", "not-checked", "not-for-reading", "not-a-pdf"]
    """PDF/UA-1 check by page-validation: passed, failed, not-checked (the check was switched off, or the checker
    could not read the file), not-for-reading (an imposed booklet: a printer's file, untagged by design), or
    not-a-pdf (the web edition's page)."""
    input_hash: str
    """SHA-256 over everything that affects the PDF: leaflet, style chain, fonts, images,
    leafwright and ReportLab versions, options. Unchanged hash: the build skips the job."""
    warnings: list[str] = field(default_factory=list)
    """Warnings the build reported for this leaflet, located (file:line:col: message)."""
    inputs: list[str] = field(default_factory=list)
    """Other files the leaflet used (images), relative to the manifest's folder."""


@dataclass
class Manifest:
    """Every PDF in an output folder, sorted by path."""

    manifest_version: int
    """The manifest format's version (this is version 1)."""
    generator: str
    """The program that wrote it, e.g. 'leafwright 0.1.0'."""
    outputs: list[ManifestEntry] = field(default_factory=list)
    """One entry per PDF, sorted by path."""


def manifest_json_schema() -> dict:
    """The manifest's JSON Schema, generated from the dataclasses (docs/manifest.schema.json)."""
    from pydantic import ConfigDict, TypeAdapter

    for cls in (ManifestEntry, Manifest):
        cls.__pydantic_config__ = ConfigDict(use_attribute_docstrings=True)  # type: ignore[attr-defined]
    schema = TypeAdapter(Manifest).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "leafwright build manifest"
    return schema


def entry_from_dict(data: dict) -> ManifestEntry | None:
    """An entry read back from JSON, or None when it is not one (a damaged or foreign entry)."""
    names = {f.name for f in fields(ManifestEntry)}
    try:
        return ManifestEntry(**{k: v for k, v in data.items() if k in names})
    except TypeError:
        return None


def read_manifest(out_dir: str | Path) -> dict[str, ManifestEntry]:
    """The entries of ``out_dir/manifest.json`` by path; empty when missing or unreadable."""
    path = Path(out_dir) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # a missing or unreadable manifest only means every job is rebuilt
        return {}
    out: dict[str, ManifestEntry] = {}
    for raw in data.get("outputs", []) if isinstance(data, dict) else []:
        entry = entry_from_dict(raw) if isinstance(raw, dict) else None
        if entry is not None:
            out[entry.path] = entry
    return out


def dumps(entries: dict[str, ManifestEntry]) -> bytes:
    """The manifest's bytes: sorted by path, sorted keys, no timestamps."""
    manifest = Manifest(MANIFEST_VERSION, f"leafwright {__version__}", [entries[k] for k in sorted(entries)])
    return (json.dumps(asdict(manifest), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


@contextlib.contextmanager
def locked(out_dir: str | Path) -> Iterator[None]:
    """Hold the output folder's lock: an flock on the folder itself, so no lock file is left.

    (A no-op where flock does not exist.)
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock; builds there run one at a time
        yield
        return
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def update_manifest(out_dir: str | Path, entries: dict[str, ManifestEntry]) -> None:
    """Merge entries into the manifest under the lock, dropping entries whose PDF is gone."""
    from .write import write_atomic

    out = Path(out_dir)
    if not entries and not (out / MANIFEST_NAME).is_file():
        return  # nothing built and nothing recorded: a failed build writes nothing at all
    with locked(out):
        current = read_manifest(out)
        current.update(entries)
        kept = {k: v for k, v in current.items() if (out / k).is_file()}
        data = dumps(kept)
        path = out / MANIFEST_NAME
        try:
            if path.read_bytes() == data:
                return  # unchanged: leave the file (and its mtime) alone
        except OSError:
            pass
        write_atomic(path, data)


def relpath(path: str | Path, start: str | Path) -> str:
    """``path`` relative to ``start`` with forward slashes (how the manifest stores paths)."""
    return Path(os.path.relpath(Path(path).resolve(), Path(start).resolve())).as_posix()
