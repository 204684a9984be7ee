"""The batch runner: every (leaflet, style, variant) is one job.

``run_job(job)`` is a plain function of picklable arguments returning a
picklable :class:`JobResult`, so the same job can run in this process or in a
worker of any ``concurrent.futures.Executor`` (a process pool here, a cluster
executor later). ``run_batch`` decides which jobs need building, runs them,
reports each as it finishes and keeps ``out/manifest.json`` up to date; one
failing job never stops the others.

Incremental builds: a job's *input hash* covers the leaflet file, the style
chain's files, the style's font and logo files, the images the leaflet used
(recorded in the manifest by the previous build), the leafwright and ReportLab
versions and the job's options. A job whose outputs exist and whose input hash
matches the manifest is skipped.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import Diagnostic, LeafwrightError

if TYPE_CHECKING:
    from .editions import Editions
    from .manifest import LeafletRecord, ManifestEntry

#: a manifest update is written at least this often during a long build (seconds),
#: so an interrupted or killed build keeps most of its record
FLUSH_EVERY = 2.0

#: where drafts are written inside the output folder (never listed in its manifest)
DRAFTS = "drafts"


@dataclass(frozen=True)
class Job:
    """One leaflet built in one style and variant into one folder."""

    leaflet: str  # path to the leaflet file
    display: str  # the name shown to the user
    style: str = "default"
    variant: str = "standard"
    out_dir: str = "out"
    draft: bool = False
    """Build as a draft (``build --draft``), whatever the leaflet's status."""
    links: tuple[str, ...] = ()
    """The other variants built with this one (the web edition links to their files)."""
    editions: Editions | None = None
    """The leaflet's other language editions (which its files link to) and, for a
    translation, what its source states; None when not worked out (nothing is checked or
    linked). See :func:`leafwright.editions.language_editions`."""


@dataclass
class JobResult:
    """What happened to a job: the files written, or the errors that stopped it."""

    job: Job
    ok: bool
    leaflet_id: str | None = None
    outputs: list[str] = field(default_factory=list)
    output_facts: list[tuple[int, str, int]] = field(default_factory=list)
    """(size in bytes, SHA-256, pages) of each file in ``outputs`` (an unchanged job's from the manifest)."""
    pages: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    internal_error: str | None = None
    internal_traceback: str | None = None
    """For an internal error: where it happened (a bug's report needs it)."""
    meta: dict[str, str] = field(default_factory=dict)
    """title, language, version, published, review_by of the leaflet (for the manifest)."""
    inputs: list[str] = field(default_factory=list)
    """Files the job read besides the leaflet and its style (images)."""
    skipped: bool = False
    """True when nothing changed since the last build and the job was not run."""
    files: list[tuple[str, bytes]] = field(default_factory=list, repr=False)
    """(file name, PDF bytes) made by the job, until the coordinator has written them."""
    assets: list[tuple[str, bytes]] = field(default_factory=list, repr=False)
    """Files the outputs use, shared between leaflets (a web page's fonts and pictures):
    written beside them when new or changed, never listed in the manifest."""
    seconds: float = 0.0
    """Time the job took where it ran (0 for an unchanged job)."""
    review: tuple[Diagnostic, tuple[str, ...]] | None = None
    """Where the leaflet's review_by is and the date rules it does not ignore, so an unchanged
    build can re-evaluate LW501-LW503 against its own day (see checks.dated_findings)."""
    withdrawn: bool = False
    """True when the leaflet is withdrawn: nothing was built, its files went to the archive."""
    archived: dict[str, str] = field(default_factory=dict)
    """{version: archive folder relative to the output folder} for files this job archived."""
    draft: bool = False
    """Built as a draft: written to ``OUT/drafts/`` and recorded in its manifest, never in OUT's."""

    @property
    def status(self) -> str:
        """built, unchanged, withdrawn or failed."""
        if self.skipped:
            return "unchanged"
        if self.withdrawn and self.ok:
            return "withdrawn"
        return "built" if self.ok else "failed"


@dataclass(frozen=True)
class Previous:
    """What the output folder holds from the last build of a job: its files and the leaflet's record."""

    entries: tuple[ManifestEntry, ...] = ()
    """The job's files as the manifest lists them (:class:`~leafwright.manifest.ManifestEntry`)."""
    record: LeafletRecord | None = None
    """The leaflet's :class:`~leafwright.manifest.LeafletRecord`, or None."""
    archive: bool = False
    """Keep superseded and withdrawn files in ``out/archive/`` (the batch runner sets it unless
    --no-archive; a job run on its own keeps no archive)."""


def leaflet_meta(leaflet) -> dict[str, str]:
    """The leaflet's fields the manifest lists."""
    return {
        "title": leaflet.title,
        "language": leaflet.language,
        # empty when the leaflet does not state it (never a guess)
        "version": leaflet.version or "",
        "published": leaflet.published.isoformat() if leaflet.published else "",
        "review_by": leaflet.review_by.isoformat() if leaflet.review_by else "",
        "status": leaflet.status,
        "withdrawn_on": leaflet.withdrawn_on.isoformat() if leaflet.withdrawn_on else "",
        "owner": f"{leaflet.owner.name} ({leaflet.owner.contact})" if leaflet.owner else "",
        "change_note": leaflet.change_note or "",
        "translation_of": leaflet.translation_of or "",
        "source_version": leaflet.source_version or "",
    }


def leaflet_images(source) -> list[str]:
    """The image files a loaded leaflet uses, resolved, sorted, without repeats."""
    from .blocks import ImageBlock
    from .model import walk_sections
    from .source import image_inside

    found = {
        str(image_inside(source.base_dir, block.image.file) or (source.base_dir / block.image.file).resolve())
        for sec, _ in walk_sections(source.leaflet.sections)
        for block in sec.blocks
        if isinstance(block, ImageBlock)
    }
    return sorted(found)


def run_job(job: Job, config=None, today=None, previous: Previous | None = None) -> JobResult:
    """Load, check and render one job; nothing is written. Never raises for a user's error.

    The PDFs are in ``result.files`` as bytes: the coordinator writes them (atomically,
    with :func:`write_outputs`, which also archives what they replace), so a job can run
    in any process or on any machine. Check errors stop the job (no PDF); check warnings
    are in ``result.warnings``, with the edition's own (colours converted for print,
    low-resolution images). A withdrawn leaflet builds nothing (``result.withdrawn``).
    ``config`` and ``today`` are the coordinator's (default: the current folder's
    settings and today); ``previous`` what the output folder held (its leaflet record is
    compared with, for LW701/LW702).
    """
    from .checks import check_source, leaflet_ignores, load_config, review_anchor, split_findings
    from .checks.versions import check_versions
    from .content import content_hash
    from .editions import translation_errors, translation_findings
    from .render import load_leaflet
    from .style import resolve_style
    from .variants import build_variant

    result = JobResult(job, ok=False)
    try:
        source = load_leaflet(job.leaflet, display=job.display)
        result.leaflet_id = source.leaflet.id
        result.meta = leaflet_meta(source.leaflet)
        result.meta["content_hash"] = content_hash(source.leaflet, source.base_dir)
        result.inputs = leaflet_images(source)
        if source.leaflet.status == "withdrawn":  # the coordinator moves its files to the archive
            result.withdrawn = True
            result.ok = True
            return result
        result.review = (review_anchor(source), tuple(sorted(_date_rules() - leaflet_ignores(source))))
        style = resolve_style(job.style, variant=job.variant)
        result.draft = job.draft or source.leaflet.status == "draft"
        if config is None:
            config = load_config()
        # the checks first: an error stops this leaflet; warnings travel with the result
        found = check_source(source, style, config, today=today, for_build=True, draft=result.draft)
        # a translation's link to its source: an error stops it; out of date is a warning
        found += translation_errors(source, job.editions)
        found += translation_findings(source, job.editions, frozenset(config.ignore))
        errors, result.warnings = split_findings(found)
        if errors:
            result.diagnostics = errors
            return result
        if not result.draft:  # a draft is not a publication: no version to compare
            result.warnings = list(result.warnings) + check_versions(
                source, (previous or Previous()).record, result.meta["content_hash"], frozenset(config.ignore)
            )
        built = build_variant(
            source,
            style,
            job.variant,
            job.links,
            draft=result.draft,
            editions=job.editions.others if job.editions is not None else (),
            labels=getattr(config, "labels", None) or {},
        )
        # one warning per place: the checks may already have flagged a spot (an image's dpi)
        flagged = {(w.file, w.line, w.column) for w in result.warnings if w.line is not None}
        result.warnings = list(result.warnings) + [
            w for w in built.warnings if (w.file, w.line, w.column) not in flagged
        ]
        result.files = list(built.files)
        result.assets = list(built.assets)
        result.output_facts = [
            (len(pdf), hashlib.sha256(pdf).hexdigest(), pages)
            for (_name, pdf), pages in zip(built.files, built.file_pages)
        ]
        result.pages = built.pages
        result.ok = True
    except LeafwrightError as exc:
        result.diagnostics = list(exc.diagnostics)
    except Exception as exc:  # a bug in leafwright, not the user's input
        import traceback

        result.internal_error = f"{type(exc).__name__}: {exc}"
        result.internal_traceback = traceback.format_exc()
    return result


def _date_rules() -> set[str]:
    from .checks import DATE_RULES

    return set(DATE_RULES)


def write_outputs(result: JobResult, previous: Previous | None = None) -> None:
    """Write a finished job's PDFs into its folder, atomically; a write error fails the job.

    Runs where the output folder is (the coordinator), after the job ran anywhere. All of a
    job's files were rendered before the first is written. ``previous`` is what the folder
    holds from the last build: a withdrawn leaflet's files are moved to the archive; an
    approved version's files are moved there before a new version, or new content,
    replaces them.
    """
    from .write import write_atomic

    previous = previous or Previous()
    if result.withdrawn:
        _withdraw(result.job, previous, result)
        return
    if not result.draft:  # the published version archived before a new one replaces it
        _archive_superseded(result.job, previous, result)
    files, result.files = result.files, []
    assets, result.assets = result.assets, []
    # a draft goes beside the published files, never over them (a web page's fonts and
    # pictures with it)
    folder = Path(result.job.out_dir) / DRAFTS if result.draft else Path(result.job.out_dir)
    for name, data in files + assets:
        target = folder / name
        try:
            if (name, data) in assets:  # shared by leaflets: written only when new or changed
                write_if_changed(target, data)
            else:
                result.outputs.append(str(write_atomic(target, data)))
        except OSError as exc:  # a full disk, a read-only folder: the user's to fix
            result.ok = False
            result.outputs.clear()
            result.diagnostics = [
                Diagnostic(
                    f"cannot write {target}: {exc.strerror or exc}",
                    file=result.job.display,
                    hint="check that the output folder is a folder you can write to, with room on its disk",
                )
            ]
            return
    if previous.archive and result.meta.get("status") == "approved" and not result.draft:
        from .archive import keep_published_yaml

        try:
            data = Path(result.job.leaflet).read_bytes()
        except OSError:
            return
        keep_published_yaml(result.job.out_dir, result.leaflet_id or "", data)


def write_if_changed(path: Path, data: bytes) -> None:
    """Write a file atomically unless it already holds exactly ``data`` (shared assets)."""
    from .write import write_atomic

    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)


def _archive_superseded(job: Job, previous: Previous, result: JobResult) -> None:
    """Move the job's published files to the archive when a new version or new text replaces them."""
    rec = previous.record
    if not previous.archive or not previous.entries or rec is None or rec.status != "approved":
        return  # drafts are not archived; nor is anything with --no-archive
    old = previous.entries[0]
    meta = result.meta
    if old.version == meta["version"] and (not old.content_hash or old.content_hash == meta["content_hash"]):
        return  # the same version re-rendered (a new style, say): not a new publication
    from .archive import archive_outputs

    folder = archive_outputs(job.out_dir, old.leaflet_id, list(previous.entries))
    if folder:
        result.archived[old.version] = folder


def _withdraw(job: Job, previous: Previous, result: JobResult) -> None:
    """A withdrawn leaflet: its files leave the output folder for the archive (or go, with --no-archive)."""
    from .archive import archive_outputs, remove_outputs
    from .manifest import read_manifest

    result.withdrawn = True
    result.ok = True
    # every edition of it in the folder, whichever variants this build makes
    entries = [e for e in read_manifest(job.out_dir).values() if e.leaflet_id == result.leaflet_id]
    if not previous.archive:
        remove_outputs(job.out_dir, entries)
        return
    by_version: dict[tuple[str, str], list] = {}
    for e in entries:
        by_version.setdefault((e.version, e.content_hash), []).append(e)
    for (version, _), group in sorted(by_version.items()):
        folder = archive_outputs(job.out_dir, group[0].leaflet_id, group)
        if folder:
            result.archived[version] = folder


def find_duplicate_ids(jobs: Iterable[Job]) -> dict[str, list[str]]:
    """Leaflet ids used by more than one file (they would overwrite each other's output)."""
    import yaml

    seen: dict[str, list[str]] = {}
    # a leaflet built in several variants is several jobs: read each file once
    for leaflet, display in dict.fromkeys((job.leaflet, job.display) for job in jobs):
        try:
            with open(leaflet, encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("id:"):
                        lid = yaml.safe_load(line[3:]) if line[3:].strip() else None
                        if isinstance(lid, str):
                            files = seen.setdefault(lid, [])
                            if display not in files:
                                files.append(display)
                        break
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
    return {k: v for k, v in seen.items() if len(v) > 1}


# --- input hashes -------------------------------------------------------------------------


def _file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes; 'missing' when it cannot be read (a missing image changes it)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _style_font_files(spec) -> list[Path]:
    """Every font file a style's fonts may come from (whole families: any change counts)."""
    files: list[Path] = []
    own = spec.fonts.files  # `files: {regular: ...}`, or the faces named beside `family`
    names = [spec.fonts.family] if spec.fonts.family and not (spec.fonts.regular or own) else []
    for face in ("regular", "bold", "italic", "bold_italic"):
        for holder in (spec.fonts, own):
            if holder is not None and getattr(holder, face):
                files.append(Path(getattr(holder, face)))
    # a script's font (`scripts: {arabic: ...}`) is a family or a file, as a fallback is
    for fb in [*spec.fonts.fallback, *spec.fonts.scripts.values()]:
        if fb.endswith((".ttf", ".otf")):
            files.append(Path(fb))
        else:
            names.append(fb)
    if names:
        import fontpkg

        from .fonts import folder_families

        folders = folder_families()
        for name in names:
            if name in folders:  # found through --font-path: those files, not a package's
                files.extend(Path(f) for f, _, _ in folders[name])
                continue
            try:
                files.extend(Path(f.path) for f in fontpkg.family(name).files)
            except Exception:  # an unknown family fails the build with its own message
                continue
    return files


def _no_editions():
    from .editions import Editions

    return Editions()


#: a leaflet with no other language editions, not a translation: its key is as it was
_NO_EDITIONS = _no_editions()


def style_key(style: str, variant: str) -> str:
    """Hash of everything shared by the jobs of one style and variant.

    The style chain's files, its fonts and logo, the project's check settings, the
    leafwright and ReportLab versions and the options. Raises
    :class:`~leafwright.errors.StyleError` for an unknown style.
    """
    from importlib.metadata import version

    from .style import load_style_chain

    chain = load_style_chain(style)
    h = hashlib.sha256()
    h.update(
        json.dumps(
            {
                "leafwright": __version__,
                "reportlab": version("reportlab"),
                "style": style_label(style),
                "variant": variant,
            },
            sort_keys=True,
        ).encode()
    )
    h.update(chain.content_hash().encode())
    extra = _style_font_files(chain.spec) + ([Path(chain.spec.logo)] if chain.spec.logo else [])
    for f in extra:
        h.update(f"{f.name}:{_file_digest(f)}".encode())
    h.update(_check_settings_digest().encode())
    return h.hexdigest()


def _check_settings_digest() -> str:
    """The project's check settings (they decide which leaflets fail and what they warn of)."""
    yml = Path.cwd() / "leafwright.yaml"
    if yml.is_file():
        return "leafwright.yaml:" + _file_digest(yml)
    pyproject = Path.cwd() / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return "pyproject.toml:unreadable"
        return "pyproject.toml:" + json.dumps(tool.get("leafwright"), sort_keys=True, default=str)
    return "none"


def job_hash(base_key: str, leaflet_bytes: bytes, inputs: Iterable[str]) -> str:
    """The input hash of one job: its style key, the leaflet's bytes and its other files."""
    h = hashlib.sha256(base_key.encode())
    h.update(hashlib.sha256(leaflet_bytes).digest())
    for f in sorted(inputs):
        h.update(f"\0{Path(f).name}:{_file_digest(f)}".encode())
    return h.hexdigest()


# --- running a batch ----------------------------------------------------------------------


@dataclass(frozen=True)
class BuildTask:
    """A job with what the runner needs to run and record it: its style key, the checks to
    run, and the coordinator's check settings and day (a worker elsewhere has neither)."""

    job: Job
    base_key: str
    check_pdfua: bool = True
    config: Any = None
    today: _dt.date | None = None
    previous: Previous = field(default_factory=Previous)
    """What the output folder holds from the last build (used where the files are written)."""


@dataclass
class OutputRecord:
    """A PDF's name in its folder, size, digest and PDF/UA status (what a manifest entry needs)."""

    name: str
    bytes: int
    sha256: str
    pdfua: str
    pages: int
    pdfua_failures: tuple[str, ...] = ()
    """The PDF/UA-1 rules the file breaks, when ``pdfua`` is failed."""


@dataclass
class TaskResult:
    """A job's result with the input hash and the records of its outputs."""

    result: JobResult
    input_hash: str | None = None
    records: list[OutputRecord] = field(default_factory=list)


def _pdfua_status(pdf: bytes) -> tuple[str, tuple[str, ...]]:
    """passed/failed by page-validation's PDF/UA-1 profile (a dependency, so always run),
    and the ids of the rules a failed file breaks."""
    import tempfile

    import page

    # the checker reads a file: a private temporary one, so no output folder is needed here
    with tempfile.TemporaryDirectory(prefix="leafwright-") as tmp:
        path = Path(tmp) / "check.pdf"
        path.write_bytes(pdf)
        try:
            report = page.validate_pdf(str(path), profile="ua1")
        except Exception:  # a checker crash is not a verdict
            return "not-checked", ()
    if report.is_compliant:
        return "passed", ()
    return "failed", tuple(sorted({str(f.rule_id) for f in report.failures}))


def run_task(task: BuildTask) -> TaskResult:
    """Run one job (in any process, on any machine) and record its input hash and outputs.

    Picklable in and out; writes nothing: the PDFs travel back as bytes in the result.
    """
    from .variants import output_of

    start = time.perf_counter()
    try:
        # hashed before the job reads it: an edit during the build makes the next build redo it
        leaflet_bytes = Path(task.job.leaflet).read_bytes()
    except OSError:
        leaflet_bytes = None
    result = run_job(task.job, task.config, task.today, task.previous)
    out = TaskResult(result)
    if result.ok and leaflet_bytes is not None:
        out.input_hash = job_hash(task.base_key, leaflet_bytes, result.inputs)
        for (name, pdf), (size, digest, pages) in zip(result.files, result.output_facts):
            rules: tuple[str, ...] = ()
            kind = output_of(name)
            if kind is not None and not kind.pdf:  # the web edition: axe-core checks it in the tests
                status = "not-a-pdf"
            elif kind is not None and not kind.reading:  # pages out of reading order, no structure tree
                status = "not-for-reading"
            elif task.check_pdfua:
                status, rules = _pdfua_status(pdf)
            else:
                status = "not-checked"
            out.records.append(OutputRecord(name, size, digest, status, pages, rules))
        _fail_on_pdfua(result, out.records)
    result.seconds = time.perf_counter() - start
    return out


def _fail_on_pdfua(result: JobResult, records: list[OutputRecord]) -> None:
    """A reading PDF that fails our own PDF/UA-1 check fails its job: the build says so,
    with the rules it breaks, and exits non-zero; like any failed job it writes nothing
    (an earlier PDF of the leaflet is left as it was) and is built again next time."""
    for rec in records:
        if rec.pdfua != "failed":
            continue
        result.ok = False
        result.diagnostics.append(
            Diagnostic(
                f"{rec.name} fails the PDF/UA-1 check"
                + (f" ({', '.join(rec.pdfua_failures)})" if rec.pdfua_failures else "")
                + ", so it was not written",
                file=result.job.display,
                hint="this is a bug in leafwright: please report it with the leaflet",
            )
        )


def _worker_init(font_dirs: tuple[str, ...] = ()) -> None:
    """Workers ignore Ctrl-C: the parent stops handing out jobs and lets running ones finish,
    so no job is cut off between rendering and its atomic rename. They search the parent's
    font folders (``--font-path``)."""
    import signal

    from .fonts import set_font_dirs

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_font_dirs(font_dirs)


def make_executor(workers: int) -> Executor:
    """A process pool of ``workers`` processes.

    Workers are forked from a fork server that has imported the renderer once, so each
    starts with its modules loaded (fonts are then parsed once per worker). Not a plain
    fork of this process: native libraries already used here (the PDF/UA checker's)
    may hold locks or threads that a forked child would deadlock on.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx: Any
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["leafwright.batch", "leafwright.render"])
    else:  # pragma: no cover - Windows, where only spawn exists
        ctx = multiprocessing.get_context("spawn")
    from .fonts import font_dirs

    dirs = tuple(str(d) for d in font_dirs())
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init, initargs=(dirs,))


def style_ref(style: str, folder: str | Path) -> str:
    """How the manifest keys a style: its file relative to the output folder, or
    'default (style)' for one shipped with leafwright (never its place in the install)."""
    return _style_ref(style, str(folder), os.getcwd())


@functools.lru_cache(maxsize=256)
def _style_ref(style: str, folder: str, cwd: str) -> str:
    # cached: asked for every job of a build (planning and recording), the same answer
    from .errors import SHIPPED_STYLES
    from .manifest import relpath

    p = Path(style)
    if p.suffix not in (".yaml", ".yml"):  # a name: the file it finds (./styles first)
        found = _style_file(style, os.getcwd())
        if found is None:
            return f"{style} (style)"
        p = found
    try:
        rel = p.resolve().relative_to(SHIPPED_STYLES)
        return f"{rel.with_suffix('')} (style)"
    except ValueError:
        return relpath(p, folder)


@functools.lru_cache(maxsize=64)
def _style_file(name: str, cwd: str) -> Path | None:
    """The file a style name finds from ``cwd`` (None for an unknown name)."""
    from .errors import StyleError
    from .style import find_style, style_dirs

    try:
        return find_style(name, style_dirs())
    except StyleError:
        return None


def _style_key_of(e) -> str:
    """An entry's style for matching jobs: its file, or (a manifest written before style_file) its name."""
    return e.style_file or "name:" + e.style


def _entries_for(by_job: dict, source: str, job: Job, folder: str) -> list | None:
    """A job's entries in a folder's manifest, matched by the style's file (by name in an older manifest)."""
    found = by_job.get((source, style_ref(job.style, folder), job.variant))
    if found is None:
        found = by_job.get((source, "name:" + style_label(job.style), job.variant))
    return found


def separate_style_folder(out_dir: str, style: str) -> str:
    """The folder a build in ``style`` writes to: ``out_dir``, or ``out_dir/<style name>`` when
    ``out_dir`` already holds PDFs of another style (they would overwrite each other's files)."""
    from .manifest import read_manifest

    folder = out_dir
    for n in range(100):
        others = {_style_key_of(e) for e in read_manifest(folder).values()}
        mine = {style_ref(style, folder), "name:" + style_label(style)}
        if not others or others & mine:
            return folder
        name = style_label(style)
        folder = str(Path(out_dir) / (name if n == 0 else f"{name}-{n + 1}"))
    return folder  # pragma: no cover - a hundred styles of one name


def style_label(style: str) -> str:
    """How the manifest names a style: its name, also when the job gives its file's path."""
    return Path(style).stem if style.endswith((".yaml", ".yml")) else style


def _edition_records(r: JobResult, name: str) -> list:
    """The other language editions of an output file: the same edition of each translation."""
    from .manifest import LanguageEdition
    from .variants import output_names

    eds = r.job.editions
    if eds is None or not r.leaflet_id:
        return []
    mine = output_names(r.leaflet_id, r.job.variant)
    at = mine.index(name) if name in mine else 0
    return [
        LanguageEdition(e.language, e.name, e.leaflet_id, output_names(e.leaflet_id, r.job.variant)[at])
        for e in eds.others
    ]


class _Recorder:
    """Collects manifest entries and writes them (merged, locked, atomic) now and then."""

    def __init__(self, out_dirs: Iterable[str]) -> None:
        self.pending: dict[str, dict] = {d: {} for d in out_dirs}
        self.leaflets: dict[str, list] = {d: [] for d in out_dirs}
        self.ran: dict[str, list] = {d: [] for d in out_dirs}
        self.errors: dict[str, list] = {d: [] for d in out_dirs}
        self.last = time.monotonic()
        self.cost = 0.0
        """How long the last write of the manifests took (s)."""

    def add(self, task: TaskResult) -> None:
        from .manifest import (
            InternalError,
            LeafletUpdate,
            ManifestEntry,
            ReviewCheck,
            finding_from_diagnostic,
            relpath,
        )

        r = task.result
        # drafts have a manifest of their own: the output folder's lists what may be published
        out_dir = str(Path(r.job.out_dir) / DRAFTS) if r.draft else r.job.out_dir
        if not r.skipped:  # this build's word on the job replaces an internal error recorded before
            key = (relpath(r.job.leaflet, out_dir), style_label(r.job.style), r.job.variant)
            self.ran.setdefault(out_dir, []).append(key)
            if r.internal_error:
                self.errors.setdefault(out_dir, []).append(
                    InternalError(*key, error=r.internal_error, traceback=r.internal_traceback or "")
                )
        if not r.ok:
            return
        if not r.skipped and not r.draft and r.leaflet_id:
            m = r.meta
            self.leaflets.setdefault(out_dir, []).append(
                LeafletUpdate(
                    leaflet_id=r.leaflet_id,
                    title=m.get("title", ""),
                    source=relpath(r.job.leaflet, out_dir),
                    status=m.get("status", "approved"),
                    version=m.get("version", ""),
                    published=m.get("published", ""),
                    review_by=m.get("review_by", ""),
                    content_hash=m.get("content_hash", ""),
                    withdrawn_on=m.get("withdrawn_on", ""),
                    owner=m.get("owner", ""),
                    change_note=m.get("change_note", ""),
                    archived=dict(r.archived),
                    language=m.get("language", ""),
                    translation_of=m.get("translation_of", ""),
                    source_version=m.get("source_version", ""),
                )
            )
        review = None
        if r.review is not None:
            anchor, rules = r.review
            review = ReviewCheck(anchor.file, anchor.line, anchor.column, list(rules))
        for rec in task.records:
            entry = ManifestEntry(
                path=rec.name,
                leaflet_id=r.leaflet_id or "",
                title=r.meta.get("title", ""),
                language=r.meta.get("language", ""),
                version=r.meta.get("version", ""),
                published=r.meta.get("published", ""),
                review_by=r.meta.get("review_by", ""),
                variant=r.job.variant,
                style=style_label(r.job.style),
                style_file=style_ref(r.job.style, out_dir),
                source=relpath(r.job.leaflet, out_dir),
                pages=rec.pages,
                bytes=rec.bytes,
                sha256=rec.sha256,
                pdfua=rec.pdfua,  # type: ignore[arg-type]
                input_hash=task.input_hash or "",
                warnings=[finding_from_diagnostic(d) for d in r.warnings],
                inputs=[relpath(f, out_dir) for f in r.inputs],
                review_check=review,
                content_hash=r.meta.get("content_hash", ""),
                editions=_edition_records(r, rec.name),
            )
            self.pending.setdefault(out_dir, {})[entry.path] = entry

    def flush(self, *, force: bool = False) -> None:
        from .manifest import update_manifest

        # at least FLUSH_EVERY apart, and 25 times as long as the last write took: a library's
        # manifest grows with every job, and writing it (read, merge, JSON) in the coordinator
        # takes CPU from the workers; this keeps that under ~4% of the build
        if not force and time.monotonic() - self.last < max(FLUSH_EVERY, 25 * self.cost):
            return
        start = time.monotonic()
        for out_dir, entries in self.pending.items():
            leaflets = self.leaflets.get(out_dir, [])
            ran, errors = self.ran.get(out_dir, []), self.errors.get(out_dir, [])
            if entries or leaflets or errors or force:
                update_manifest(out_dir, entries, leaflets, ran=ran, internal_errors=errors)
            entries.clear()
            leaflets.clear()
            ran.clear()
            errors.clear()
        self.last = time.monotonic()
        self.cost = self.last - start


def plan(
    jobs: list[Job],
    *,
    force: bool = False,
    archive: bool = True,
    config=None,
    today: _dt.date | None = None,
) -> tuple[list[BuildTask], list[JobResult]]:
    """Split jobs into tasks to run and results for jobs that are unchanged since the last build.

    A job's previous outputs are looked for in the output folder's manifest, then in
    its drafts' (``OUT/drafts/manifest.json``): the leaflet's bytes, in the input hash,
    say which one is current. An unchanged job reports the warnings its build recorded
    in the manifest, with its review-date findings (LW501-LW503) evaluated again for
    ``today``: a cached build never hides a warning, and never repeats a stale one.

    Raises :class:`~leafwright.errors.StyleError` (exit code 2) for an unknown style.
    """
    from .manifest import read_leaflets, read_manifest, relpath
    from .variants import output_names

    keys: dict[tuple[str, str, bool, tuple[str, ...]], str] = {}
    previous: dict[str, dict[tuple[str, str, str], list]] = {}
    records: dict[str, dict[str, LeafletRecord]] = {}
    todo: list[BuildTask] = []
    unchanged: list[JobResult] = []
    for job in jobs:
        k = (job.style, job.variant, job.draft, job.links)
        if k not in keys:
            # a web page's links to its PDFs are part of what it was built from
            label = job.variant + (f"[{','.join(job.links)}]" if job.links else "")
            keys[k] = style_key(job.style, label)
            if job.draft:  # the same leaflet built as a draft is another build
                keys[k] = hashlib.sha256((keys[k] + ":draft").encode()).hexdigest()
        base = keys[k]
        if job.editions is not None and job.editions != _NO_EDITIONS:
            # its links to the other language editions are part of what made it; and a
            # translation is checked against its source's version: a new one rebuilds it
            family = json.dumps(dataclasses.asdict(job.editions), sort_keys=True)
            base = hashlib.sha256((base + family).encode()).hexdigest()
        found = None
        for folder in (job.out_dir, str(Path(job.out_dir) / DRAFTS)):
            if folder not in previous:
                by_job: dict[tuple[str, str, str], list] = {}
                for e in read_manifest(folder).values():
                    by_job.setdefault((e.source, _style_key_of(e), e.variant), []).append(e)
                previous[folder] = by_job
            entries = _entries_for(previous[folder], relpath(job.leaflet, folder), job, folder)
            if entries and _still_valid(job, entries, base, folder):
                found = (folder, entries)
                break
        # what is published now, and the leaflet's record: to archive and compare versions with
        if job.out_dir not in records:
            # a leaflet's record by its file (its id is not known before it is loaded)
            records[job.out_dir] = {r.source: r for r in read_leaflets(job.out_dir).values()}
        source = relpath(job.leaflet, job.out_dir)
        published = _entries_for(previous[job.out_dir], source, job, job.out_dir)
        task = BuildTask(
            job,
            base,
            previous=Previous(tuple(published or ()), records[job.out_dir].get(source), archive),
        )
        if force or found is None:
            todo.append(task)
            continue
        folder, entries = found
        # in the order a build writes them: the reading PDF (whose pages the result counts) first
        names = output_names(entries[0].leaflet_id, job.variant)
        files = sorted(entries, key=lambda x: names.index(x.path) if x.path in names else len(names))
        e = files[0]
        unchanged.append(
            JobResult(
                job,
                ok=True,
                leaflet_id=e.leaflet_id,
                skipped=True,
                pages=e.pages,
                outputs=[str(Path(folder) / x.path) for x in files],
                output_facts=[(x.bytes, x.sha256, x.pages) for x in files],
                warnings=replayed_warnings(e, config, today, draft=folder != job.out_dir),
                meta={
                    "title": e.title,
                    "language": e.language,
                    "version": e.version,
                    "published": e.published,
                    "review_by": e.review_by,
                },
                draft=folder != job.out_dir,
            )
        )
    return todo, unchanged


def replayed_warnings(
    entry, config=None, today: _dt.date | None = None, *, draft: bool = False
) -> list[Diagnostic]:
    """An unchanged job's warnings: those its build recorded, with LW501-LW503 for ``today``."""
    from .checks import DATE_RULES, CheckConfig, current_date, dated_findings
    from .manifest import diagnostic_from_finding

    kept = [diagnostic_from_finding(f) for f in entry.warnings if f.rule not in DATE_RULES]
    check = entry.review_check
    if check is None:
        return kept
    if not entry.review_by:
        return kept  # no review date stated: no date findings (LW511 is kept above)
    try:
        published = _dt.date.fromisoformat(entry.published) if entry.published else None
        review_by = _dt.date.fromisoformat(entry.review_by)
    except ValueError:  # a hand-edited manifest: the recorded findings are all there is
        return kept + [diagnostic_from_finding(f) for f in entry.warnings if f.rule in DATE_RULES]
    anchor = Diagnostic("", file=check.file, line=check.line, column=check.column, path="review_by")
    dated = dated_findings(
        anchor,
        published,
        review_by,
        config or CheckConfig(),
        today or current_date(),
        rules=tuple(check.rules),
        draft=draft,
    )
    return kept + dated


def _still_valid(job: Job, entries: list, base_key: str, folder: str) -> bool:
    """Whether a job's previous outputs are all there, unaltered in size, and its inputs unchanged."""
    out = Path(folder)
    for e in entries:
        if e.pdfua == "failed":  # never reported as unchanged: build it (and report it) again
            return False
        try:
            if (out / e.path).stat().st_size != e.bytes:
                return False
        except OSError:
            return False
    try:
        data = Path(job.leaflet).read_bytes()
    except OSError:
        return False
    inputs = [str(out / f) for f in entries[0].inputs]
    return all(e.input_hash == job_hash(base_key, data, inputs) for e in entries)


def _duplicate_failures(
    tasks: list[BuildTask], all_jobs: list[Job]
) -> tuple[list[BuildTask], list[JobResult]]:
    """Tasks whose leaflet id another file already uses fail; the first file keeps the id."""
    if not tasks:  # nothing to build (an unchanged library): no file need be read
        return tasks, []
    dupes = find_duplicate_ids(all_jobs)
    if not dupes:
        return tasks, []
    keep, failed = [], []
    for t in tasks:
        lid = next((k for k, files in dupes.items() if t.job.display in files[1:]), None)
        if lid is None:
            keep.append(t)
            continue
        failed.append(
            JobResult(
                t.job,
                ok=False,
                leaflet_id=lid,
                diagnostics=[
                    Diagnostic(
                        f"duplicate leaflet id '{lid}' (already used by {dupes[lid][0]})",
                        file=t.job.display,
                        hint="give each leaflet its own id: it names the output file",
                    )
                ],
            )
        )
    return keep, failed


def warm_up(tasks: Iterable[BuildTask]) -> None:
    """Resolve every style the tasks use in this process (a bad style stops the build early).

    Raises :class:`~leafwright.errors.StyleError` for a style that cannot be resolved.
    """
    from .style import resolve_style

    for style, variant in sorted({(t.job.style, t.job.variant) for t in tasks}):
        resolve_style(style, variant=variant)


def run_batch(
    jobs: list[Job],
    on_result: Callable[[JobResult], None] | None = None,
    *,
    workers: int = 1,
    force: bool = False,
    executor: Executor | None = None,
    check_pdfua: bool = True,
    on_start: Callable[[int, int], None] | None = None,
    config=None,
    today: _dt.date | None = None,
    ship_inputs: bool = False,
    archive: bool = True,
) -> list[JobResult]:
    """Build the jobs that changed, reporting each result (unchanged ones first) as it comes.

    ``workers`` > 1 runs jobs in a process pool (or in ``executor`` when given, with
    ``workers`` the number of jobs it runs at once; ``ship_inputs`` when its workers may be
    other machines: each job then carries its files, see :mod:`leafwright.cluster`). The
    manifest of every output folder is updated as results arrive. On Ctrl-C, no new job
    starts, running ones finish, the manifest is written and KeyboardInterrupt is re-raised.
    ``on_start(to_build, unchanged)`` is called once the plan is known. ``config`` and
    ``today`` are the check settings and day every job uses (default: the current folder's
    settings, and today or ``LEAFWRIGHT_TODAY``).

    Jobs return their PDFs as bytes; this process writes them (atomically) and the
    manifest, so workers need no access to the output folder. ``archive=False``
    (--no-archive) overwrites superseded files and deletes withdrawn ones instead of
    keeping them in ``out/archive/``.
    """
    from .checks import current_date, load_config

    config = config if config is not None else load_config()
    today = today or current_date()
    tasks, unchanged = plan(jobs, force=force, archive=archive, config=config, today=today)
    tasks, dup_failed = _duplicate_failures(tasks, jobs)
    tasks = [BuildTask(t.job, t.base_key, check_pdfua, config, today, t.previous) for t in tasks]
    if tasks:
        warm_up(tasks)
    if on_start is not None:
        on_start(len(tasks) + len(dup_failed), len(unchanged))
    results: list[JobResult] = []
    recorder = _Recorder(sorted({j.out_dir for j in jobs}))

    def done(r: JobResult) -> None:
        results.append(r)
        if on_result is not None:
            on_result(r)

    for r in unchanged + dup_failed:
        done(r)
    # the largest leaflets first, so the last worker is not left with a long one
    tasks.sort(key=lambda t: -_size(t.job.leaflet))
    try:
        if executor is None and (workers <= 1 or len(tasks) <= 1):
            for t in tasks:
                tr = run_task(t)
                finish(tr, t, recorder, done)
        else:
            own = executor is None
            if executor is None:
                workers = min(workers, len(tasks))
                executor = make_executor(workers)
            _run_pool(
                tasks,
                executor,
                own,
                recorder,
                done,
                ahead=AHEAD_PER_WORKER * max(1, workers),
                ship_inputs=ship_inputs,
            )
    finally:
        # on success, failure or Ctrl-C alike: what finished is recorded
        recorder.flush(force=True)
    return results


def finish(tr: TaskResult, task: BuildTask, recorder: _Recorder, done: Callable[[JobResult], None]) -> None:
    """A job is back: write its files (archiving what they replace), record it, report it."""
    if tr.result.ok:
        write_outputs(tr.result, task.previous)
    recorder.add(tr)
    done(tr.result)
    recorder.flush()


#: jobs handed to an executor ahead of the results (per worker): enough to keep every
#: worker busy, few enough that a 40,000-job build does not hold every job's inputs at once
AHEAD_PER_WORKER = 4


def _run_pool(
    tasks: list[BuildTask],
    executor: Executor,
    own: bool,
    recorder: _Recorder,
    done: Callable[[JobResult], None],
    *,
    ahead: int,
    ship_inputs: bool = False,
) -> None:
    """Run tasks in an executor, at most ``ahead`` at a time, each result written as it comes.

    ``ship_inputs``: the workers may be other machines, so each task travels with the bytes
    of the files it reads (see :mod:`leafwright.cluster`).
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    if ship_inputs:
        from .cluster import Packer, run_bundle

        packer = Packer()

        def submit(t: BuildTask) -> Future:
            return executor.submit(run_bundle, packer.pack(t))
    else:

        def submit(t: BuildTask) -> Future:
            return executor.submit(run_task, t)

    waiting = list(reversed(tasks))  # popped from the end: the largest first
    running: dict[Future, BuildTask] = {}

    def take(f: Future) -> None:
        task = running.pop(f)
        try:
            tr = f.result()
        except Exception as exc:  # the worker died (killed, out of memory): a failed job
            tr = TaskResult(JobResult(task.job, ok=False, internal_error=f"worker failed: {exc!r}"))
        finish(tr, task, recorder, done)

    try:
        while waiting or running:
            while waiting and len(running) < ahead:
                t = waiting.pop()
                running[submit(t)] = t
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for f in finished:
                take(f)
    except KeyboardInterrupt:
        # nothing new starts; what is running finishes (local workers ignore Ctrl-C) and is kept
        for f in list(running):
            f.cancel()
        if own:
            executor.shutdown(wait=True, cancel_futures=True)
        for f in list(running):
            if f.done() and not f.cancelled():
                take(f)
        raise
    finally:
        if own:
            executor.shutdown(wait=True, cancel_futures=True)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
