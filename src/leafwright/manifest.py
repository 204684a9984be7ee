"""The build manifest, ``out/manifest.json``: one entry for every PDF in the folder.

A website or a clinic's document system reads it to list the leaflets; the
batch runner reads it to skip jobs whose inputs have not changed. It is sorted
and holds no timestamps, so the same library built twice gives the same file.

The entry classes are plain dataclasses (reading and writing the manifest needs
no pydantic); ``manifest_json_schema()`` generates the JSON Schema from them,
shipped as ``leafwright/schemas/manifest.schema.json``.

Two builds may write into the same folder at once: every update takes an
exclusive lock on the ``out/`` folder (flock), re-reads the manifest, merges its own
entries and replaces the file atomically, so neither loses the other's entries
and a reader never sees a half-written manifest.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal

from . import __version__

MANIFEST_NAME = "manifest.json"
#: 3: warnings are structured findings (were preformatted strings), and ``review_check``;
#: 2: leaflets and their history; 1: outputs only. An older manifest's jobs are rebuilt once.
MANIFEST_VERSION = 3


@dataclass(frozen=True)
class Finding:
    """One problem found in a leaflet or style: a check's rule or an error, located."""

    message: str
    """What is wrong, in a sentence."""
    rule: str | None = None
    """The check's rule id (e.g. LW501; docs/checks.md), or null for an error that is not a rule's."""
    severity: Literal["error", "warning"] = "error"
    """error (the leaflet was not built) or warning (it was built; --strict fails on it)."""
    file: str | None = None
    """The file it is in, as the build named it (relative to where the build ran, or a style's name)."""
    line: int | None = None
    """1-based line in that file."""
    column: int | None = None
    """1-based column in that line."""
    path: str | None = None
    """Where in the YAML, e.g. sections[2].blocks[0].paragraph."""
    hint: str | None = None
    """How to fix it."""


def finding_from_diagnostic(d) -> Finding:
    """A :class:`~leafwright.errors.Diagnostic` as data (what the manifest and reports keep)."""
    return Finding(
        message=d.message,
        rule=d.code,
        severity="warning" if d.severity == "warning" else "error",
        file=d.file,
        line=d.line,
        column=d.column,
        path=d.path,
        hint=d.hint,
    )


def diagnostic_from_finding(f: Finding):
    """The diagnostic a recorded finding stands for."""
    from .errors import Diagnostic

    return Diagnostic(
        f.message,
        file=f.file,
        line=f.line,
        column=f.column,
        path=f.path,
        hint=f.hint,
        severity=f.severity,
        code=f.rule,
    )


@dataclass
class ReviewCheck:
    """Where the leaflet's review_by is and which date rules apply to it: an unchanged
    leaflet's LW501-LW503 are evaluated again from this (and published, review_by) on
    every build, so a cached build reports a review that has become overdue."""

    file: str | None
    """The leaflet file, as the build named it."""
    line: int | None
    """1-based line of review_by."""
    column: int | None
    """1-based column of its value."""
    rules: list[str] = field(default_factory=list)
    """The date rules (LW501, LW502, LW503) the leaflet does not ignore."""


@dataclass
class LanguageEdition:
    """The same leaflet in another language: the file of the same edition beside this one."""

    language: str
    """Its language (BCP 47)."""
    name: str
    """The language's name in that language, e.g. Cymraeg (what the links say)."""
    leaflet_id: str
    """Its leaflet's id."""
    path: str
    """Its file, relative to the manifest's folder (built when that leaflet is)."""


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
    """The leaflet's version (empty when the leaflet does not state it)."""
    published: str
    """Publication date of this version (YYYY-MM-DD; empty when not stated)."""
    review_by: str
    """Date by which the content must be reviewed (YYYY-MM-DD; empty when not stated)."""
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
    """PDF/UA-1 check by page-validation: passed, failed, not-checked (the check was switched off,
    or the checker could not read the file), not-for-reading (an imposed booklet: a printer's
    file, untagged by design), or not-a-pdf (the web edition's page)."""
    input_hash: str
    """SHA-256 over everything that affects the PDF: leaflet, style chain, fonts, images,
    leafwright and ReportLab versions, options. Unchanged hash: the build skips the job."""
    warnings: list[Finding] = field(default_factory=list)
    """Warnings the build reported for this leaflet, located, as data."""
    inputs: list[str] = field(default_factory=list)
    """Other files the leaflet used (images), relative to the manifest's folder."""
    review_check: ReviewCheck | None = None
    """Where review_by is, for evaluating the review-date warnings again on a later day."""
    style_file: str = ""
    """The style file it was built with, relative to the manifest's folder ('default (style)'
    for a style shipped with leafwright): two styles of the same name are two styles."""
    content_hash: str = ""
    """SHA-256 of what a reader sees (the text section by section and the pictures), not of the
    YAML's bytes: reformatting the YAML leaves it alone. Compared with the next build's to
    catch content changed without a new version."""
    editions: list[LanguageEdition] = field(default_factory=list)
    """The leaflet's other language editions (its original and translations), which this
    file links to ("This leaflet in: Cymraeg · Polski")."""


@dataclass
class HistoryEntry:
    """One published version of a leaflet."""

    version: str
    """The version."""
    published: str
    """Its publication date (YYYY-MM-DD)."""
    change_note: str = ""
    """What changed in it, in a line (the leaflet's change_note)."""
    content_hash: str = ""
    """What a reader saw in it (see ManifestEntry.content_hash)."""
    archive: str = ""
    """Where its files were kept once superseded or withdrawn (relative to the manifest's folder),
    empty while it is current or when the build ran with --no-archive."""


@dataclass
class LeafletRecord:
    """One leaflet the builds into this folder have seen: its state and its history."""

    leaflet_id: str
    """The leaflet's id."""
    title: str
    """Its title."""
    source: str
    """The leaflet file, relative to the manifest's folder."""
    status: Literal["draft", "approved", "withdrawn"]
    """draft, approved, or withdrawn (its files are in the archive, not in this folder)."""
    version: str
    """The version last built."""
    published: str
    """Its publication date (YYYY-MM-DD)."""
    review_by: str
    """Its review date (YYYY-MM-DD)."""
    content_hash: str = ""
    """What a reader sees in the version last built (see ManifestEntry.content_hash)."""
    withdrawn_on: str = ""
    """The date it was withdrawn (YYYY-MM-DD), when it was."""
    owner: str = ""
    """Who owns it: 'role or team (contact)'."""
    history: list[HistoryEntry] = field(default_factory=list)
    """Every approved version built into this folder, oldest first."""
    language: str = ""
    """Its language (BCP 47)."""
    translation_of: str = ""
    """For a translation: the id of the leaflet it translates (empty for an original)."""
    source_version: str = ""
    """For a translation: the version of that leaflet it translates."""


@dataclass
class InternalError:
    """A job that stopped on a bug in leafwright (not on the leaflet), kept for the bug report."""

    source: str
    """The leaflet file, relative to the manifest's folder."""
    style: str
    """The style it was built in."""
    variant: str
    """The edition."""
    error: str
    """The exception, one line."""
    traceback: str
    """The full Python traceback, to paste into a bug report."""


@dataclass
class Manifest:
    """Every PDF in an output folder, sorted by path."""

    manifest_version: int
    """The manifest format's version (this is version 3; see MANIFEST_VERSION)."""
    generator: str
    """The program that wrote it, e.g. 'leafwright 0.1.0'."""
    outputs: list[ManifestEntry] = field(default_factory=list)
    """One entry per PDF, sorted by path."""
    leaflets: list[LeafletRecord] = field(default_factory=list)
    """One record per leaflet ever built here, withdrawn ones included, sorted by id: status,
    owner and the history of its versions."""
    internal_errors: list[InternalError] = field(default_factory=list)
    """Jobs of the last build of each that stopped on a bug in leafwright, with tracebacks
    (a job that later builds, or fails on its input, is taken off the list)."""


def manifest_json_schema() -> dict:
    """The manifest's JSON Schema, generated from the dataclasses (schemas/manifest.schema.json)."""
    from pydantic import ConfigDict, TypeAdapter

    for cls in (Finding, ReviewCheck, LanguageEdition, ManifestEntry, HistoryEntry, LeafletRecord, Manifest):
        cls.__pydantic_config__ = ConfigDict(use_attribute_docstrings=True)  # type: ignore[union-attr]
    schema = TypeAdapter(Manifest).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "leafwright build manifest"
    return schema


@functools.cache
def _names(cls: type) -> frozenset[str]:
    """A dataclass's field names (``dataclasses.fields`` is slow for every entry of a manifest)."""
    return frozenset(f.name for f in fields(cls))


def _finding(raw) -> Finding | None:
    if isinstance(raw, str):  # manifest version 1: a preformatted line
        return Finding(message=raw, severity="warning")
    if not isinstance(raw, dict):
        return None
    names = _names(Finding)
    try:
        return Finding(**{k: v for k, v in raw.items() if k in names})
    except TypeError:
        return None


def entry_from_dict(data: dict, version: int | None = MANIFEST_VERSION) -> ManifestEntry | None:
    """An entry read back from JSON, or None when it is not one (a damaged or foreign entry).

    An entry of an older manifest version is kept (its PDF is still listed) with an empty
    input hash, so its job is rebuilt and recorded afresh.
    """
    names = _names(ManifestEntry)
    try:
        entry = ManifestEntry(**{k: v for k, v in data.items() if k in names})
    except TypeError:
        return None
    entry.warnings = [f for f in map(_finding, entry.warnings or []) if f is not None]
    rc = entry.review_check
    if isinstance(rc, dict):
        try:
            entry.review_check = ReviewCheck(**rc)
        except TypeError:
            entry.review_check = None
    elif rc is not None:
        entry.review_check = None
    enames = {f.name for f in fields(LanguageEdition)}
    editions = entry.editions if isinstance(entry.editions, list) else []
    entry.editions = [
        LanguageEdition(**{k: str(e[k]) for k in enames})
        for e in editions
        if isinstance(e, dict) and enames <= set(e)
    ]
    if version != MANIFEST_VERSION:
        entry.input_hash = ""
    return entry


def record_from_dict(data: dict) -> LeafletRecord | None:
    """A leaflet record read back from JSON, or None when it is not one."""
    names = _names(LeafletRecord)
    hnames = _names(HistoryEntry)
    try:
        rec = LeafletRecord(**{k: v for k, v in data.items() if k in names})
        rec.history = [
            HistoryEntry(**{k: v for k, v in h.items() if k in hnames})
            for h in rec.history
            if isinstance(h, dict)
        ]
    except (TypeError, AttributeError):
        return None
    return rec


_PARSED: dict[str, tuple[tuple[int, int, int], dict]] = {}


def _read_json(out_dir: str | Path) -> dict:
    """The manifest's JSON, parsed once per version of the file in a process (a build reads
    it to plan, to find the published files and records, and to merge: a 1,000-leaflet
    manifest took ~20 ms each time). The file is only ever replaced whole (a new inode),
    and callers build their own objects from what this returns and never change it."""
    path = Path(out_dir) / MANIFEST_NAME
    try:
        st = path.stat()
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        key = str(path.resolve())
        hit = _PARSED.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # a missing or unreadable manifest only means every job is rebuilt
        return {}
    data = data if isinstance(data, dict) else {}
    if len(_PARSED) >= 16:
        del _PARSED[next(iter(_PARSED))]
    _PARSED[key] = (stamp, data)
    return data


def read_manifest(out_dir: str | Path) -> dict[str, ManifestEntry]:
    """The entries of ``out_dir/manifest.json`` by path; empty when missing or unreadable."""
    out: dict[str, ManifestEntry] = {}
    data = _read_json(out_dir)
    version = data.get("manifest_version")
    for raw in data.get("outputs", []):
        entry = entry_from_dict(raw, version) if isinstance(raw, dict) else None
        if entry is not None:
            out[entry.path] = entry
    return out


def read_leaflets(out_dir: str | Path) -> dict[str, LeafletRecord]:
    """The leaflet records of ``out_dir/manifest.json`` by id; empty when missing or unreadable."""
    out: dict[str, LeafletRecord] = {}
    for raw in _read_json(out_dir).get("leaflets", []):
        rec = record_from_dict(raw) if isinstance(raw, dict) else None
        if rec is not None:
            out[rec.leaflet_id] = rec
    return out


def _error_key(e: InternalError) -> tuple[str, str, str]:
    return (e.source, e.style, e.variant)


def read_internal_errors(out_dir: str | Path) -> dict[tuple[str, str, str], InternalError]:
    """The internal errors recorded in a folder's manifest, by (source, style, variant)."""
    names = _names(InternalError)
    out: dict[tuple[str, str, str], InternalError] = {}
    for item in _read_json(out_dir).get("internal_errors", []) or []:
        if isinstance(item, dict) and names <= set(item):
            e = InternalError(**{k: str(item[k]) for k in names})
            out[_error_key(e)] = e
    return out


def dumps(
    entries: dict[str, ManifestEntry],
    leaflets: dict[str, LeafletRecord] | None = None,
    internal_errors: dict[tuple[str, str, str], InternalError] | None = None,
) -> bytes:
    """The manifest's bytes: sorted by path and id, sorted keys, no timestamps."""
    leaflets = leaflets or {}
    errors = internal_errors or {}
    manifest = Manifest(
        MANIFEST_VERSION,
        f"leafwright {__version__}",
        [entries[k] for k in sorted(entries)],
        [leaflets[k] for k in sorted(leaflets)],
        [errors[k] for k in sorted(errors)],
    )
    return (json.dumps(_plain(manifest), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(obj: Any) -> Any:
    """``dataclasses.asdict`` for the manifest's classes (dataclasses, lists, dicts and plain
    values), without its deep copy of every value: a third of the time, for a manifest the
    build writes out again every few seconds."""
    t = type(obj)
    names = _FIELDS.get(t)
    if names is None:
        names = _FIELDS[t] = tuple(f.name for f in fields(obj)) if is_dataclass(obj) else ()
    if names:
        return {n: _plain(getattr(obj, n)) for n in names}
    if t is list or t is tuple:
        return t(_plain(v) for v in obj)
    if t is dict:
        return {k: _plain(v) for k, v in obj.items()}
    return obj  # str, int, float, bool, None: the manifest holds nothing else


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


def update_manifest(
    out_dir: str | Path,
    entries: dict[str, ManifestEntry],
    leaflets: Iterable[LeafletUpdate] = (),
    ran: Iterable[tuple[str, str, str]] = (),
    internal_errors: Iterable[InternalError] = (),
) -> None:
    """Merge entries into the manifest under the lock, dropping entries whose PDF is gone.

    ``leaflets`` update the leaflet records (state and history), each applied to the record
    as it stands in the file, so two builds writing at once both keep their history.
    """
    from .write import write_atomic

    out = Path(out_dir)
    leaflets = list(leaflets)
    ran, internal_errors = set(ran), list(internal_errors)
    if not entries and not leaflets and not internal_errors and not (out / MANIFEST_NAME).is_file():
        return  # nothing built and nothing recorded: a failed build writes nothing at all
    with locked(out):
        current = read_manifest(out)
        current.update(entries)
        kept = {k: v for k, v in current.items() if (out / k).is_file()}
        if not entries and not leaflets and not internal_errors and not ran and len(kept) == len(current):
            # nothing to merge and every listed file still there (a no-op rebuild): the file
            # stands as it is, without writing 1,000 entries out again to compare them
            return
        records = read_leaflets(out)
        for update in leaflets:
            records[update.leaflet_id] = update.apply(records.get(update.leaflet_id))
        errors = {k: v for k, v in read_internal_errors(out).items() if k not in ran}
        errors.update((_error_key(e), e) for e in internal_errors)
        data = dumps(kept, records, errors)
        path = out / MANIFEST_NAME
        try:
            if path.read_bytes() == data:
                return  # unchanged: leave the file (and its mtime) alone
        except OSError:
            pass
        write_atomic(path, data)


@dataclass
class LeafletUpdate:
    """What one build learnt about a leaflet, to fold into its record."""

    leaflet_id: str
    title: str
    source: str
    status: str
    version: str
    published: str
    review_by: str
    content_hash: str = ""
    withdrawn_on: str = ""
    owner: str = ""
    change_note: str = ""
    archived: dict[str, str] = field(default_factory=dict)
    """{version: archive folder} for versions this build moved to the archive."""
    language: str = ""
    translation_of: str = ""
    source_version: str = ""

    def apply(self, rec: LeafletRecord | None) -> LeafletRecord:
        """The record with this build's facts: state replaced, history extended."""
        history = list(rec.history) if rec else []
        for h in history:
            if h.version in self.archived and not h.archive:
                h.archive = self.archived[h.version]
        if self.status == "approved":
            entry = HistoryEntry(self.version, self.published, self.change_note, self.content_hash)
            last = history[-1] if history else None
            if (
                last is not None
                and last.version == self.version
                and last.content_hash == self.content_hash
                and not last.archive
            ):
                history[-1] = entry  # the same version and text rebuilt: its latest facts
            else:
                history.append(entry)
        return LeafletRecord(
            leaflet_id=self.leaflet_id,
            title=self.title,
            source=self.source,
            status=self.status,  # type: ignore[arg-type]
            version=self.version,
            published=self.published,
            review_by=self.review_by,
            content_hash=self.content_hash,
            withdrawn_on=self.withdrawn_on,
            owner=self.owner,
            history=history,
            language=self.language,
            translation_of=self.translation_of,
            source_version=self.source_version,
        )


def relpath(path: str | Path, start: str | Path) -> str:
    """``path`` relative to ``start`` with forward slashes (how the manifest stores paths)."""
    return _relpath(str(path), str(start), os.getcwd())


@functools.lru_cache(maxsize=8192)
def _relpath(path: str, start: str, cwd: str) -> str:
    # cached: resolving costs a system call per folder of the path, and a build asks for
    # each leaflet's path several times (planning, recording, archiving)
    return Path(os.path.relpath(Path(path).resolve(), Path(start).resolve())).as_posix()
