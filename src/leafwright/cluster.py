"""Building on a Dask cluster: ``leafwright build --executor dask://HOST:PORT``.

A national body rebuilding 10,000 leaflets in every language and edition needs more
than one machine. ``distributed``'s ``Client.get_executor()`` is a
``concurrent.futures.Executor``, which :func:`~leafwright.batch.run_batch` takes; what
this module adds is that the workers need no shared file system:

* the coordinator (the machine running ``leafwright build``) packs each job's inputs
  into a :class:`Bundle`: the leaflet file, the images it uses, the style file and its
  parents, logo and font files, with the check settings and the day of the build;
* a worker (:func:`run_bundle`) writes them into a private temporary folder, runs the
  job there, and returns the PDFs as bytes with their manifest facts, file names in
  messages mapped back to the coordinator's;
* the coordinator writes every file atomically and keeps the manifest, as for a local
  build. The output is byte-identical to a local build's.

Workers must run the same leafwright version (a job on another version fails with a
message saying so). A worker that dies mid-job has its jobs run again elsewhere by the
Dask scheduler (up to its ``allowed-failures``); Ctrl-C stops handing out jobs and keeps
what has finished, as locally.

Needs the optional extra: ``pip install "leafwright[cluster]"``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .errors import EXIT_USAGE, Diagnostic, LeafwrightError

#: how long the coordinator waits for the scheduler before giving up (seconds)
CONNECT_TIMEOUT = 15


def parse_executor(spec: str) -> str | None:
    """``local`` -> None; ``dask://HOST:PORT`` -> ``tcp://HOST:PORT``; anything else is a usage error."""
    spec = spec.strip()
    if spec == "local":
        return None
    if spec.startswith("dask://") and len(spec) > len("dask://"):
        rest = spec[len("dask://") :]
        return rest if "://" in rest else "tcp://" + rest
    raise LeafwrightError.single(
        f"unknown executor '{spec}'",
        exit_code=EXIT_USAGE,
        hint="use 'local' (worker processes on this machine) or dask://HOST:PORT (a Dask scheduler)",
    )


def connect(address: str):
    """A Dask client connected to the scheduler at ``address``; usage errors if it cannot be."""
    try:
        from distributed import Client
    except ImportError:
        raise LeafwrightError.single(
            "building on a cluster needs Dask's distributed package",
            exit_code=EXIT_USAGE,
            hint='install it with: pip install "leafwright[cluster]"',
        ) from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise LeafwrightError.single(
            f"cannot reach the Dask scheduler at {address}: {exc}",
            exit_code=EXIT_USAGE,
            hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
            "or use --executor local",
        ) from None


def cluster_executor(client):
    """The client's ``concurrent.futures`` executor: each job once (never deduplicated by its arguments)."""
    return client.get_executor(pure=False)


# --- what travels to a worker -------------------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    """One task and the bytes of every file it reads, by their paths on the coordinator."""

    task: Any  # batch.BuildTask, with absolute paths
    leaflet_files: dict[str, bytes]
    """The leaflet and its images (absolute coordinator paths)."""
    style_files: dict[str, bytes]
    """The style chain's files, logo and font files (absolute coordinator paths)."""
    cwd: str
    """The coordinator's working folder, for file names in messages."""
    version: str = __version__
    style_key: str = field(default="")
    """A digest of ``style_files``: workers keep one copy of each style, not one per job."""


def _read(paths) -> dict[str, bytes]:
    out = {}
    for p in paths:
        try:
            out[str(Path(p).resolve())] = Path(p).read_bytes()
        except OSError:  # a missing file is the job's to report, as it would be locally
            continue
    return out


def style_inputs(style: str) -> list[str]:
    """Every file a style reads: its chain, its logo and the font files it names."""
    from .batch import _style_font_files
    from .style import load_style_chain

    chain = load_style_chain(style)
    files = [str(f) for f in chain.files]
    files += [str(f) for f in _style_font_files(chain.spec) if not _in_package(f)]
    if chain.spec.logo:
        files.append(str(chain.spec.logo))
    return files


def _in_package(path) -> bool:
    """A font from an installed fontpkg package: the worker has its own copy."""
    return "site-packages" in Path(path).parts or "dist-packages" in Path(path).parts


class Packer:
    """Makes bundles on the coordinator, reading each style's files and each leaflet once."""

    def __init__(self) -> None:
        self._styles: dict[str, tuple[dict[str, bytes], str]] = {}
        self._images: dict[str, list[str]] = {}

    def _style(self, style: str) -> tuple[dict[str, bytes], str]:
        if style not in self._styles:
            files = _read(style_inputs(style))
            h = hashlib.sha256()
            for name in sorted(files):
                h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
            self._styles[style] = (files, h.hexdigest()[:16])
        return self._styles[style]

    def _leaflet_images(self, leaflet: str, display: str) -> list[str]:
        if leaflet not in self._images:
            from .batch import leaflet_images
            from .render import load_leaflet

            try:
                self._images[leaflet] = leaflet_images(load_leaflet(leaflet, display=display))
            except LeafwrightError:  # the worker reports the leaflet's errors
                self._images[leaflet] = []
        return self._images[leaflet]

    def pack(self, task) -> Bundle:
        """The bundle for one :class:`~leafwright.batch.BuildTask`."""
        job = task.job
        absolute = replace(
            job, leaflet=str(Path(job.leaflet).resolve()), style=str(Path(job.style).resolve())
        )
        style_files, key = self._style(absolute.style)
        leaflet_files = _read([absolute.leaflet, *self._leaflet_images(absolute.leaflet, job.display)])
        return Bundle(replace(task, job=absolute), leaflet_files, style_files, os.getcwd(), style_key=key)


# --- on the worker ------------------------------------------------------------------------

#: ReportLab keeps process-wide state (registered fonts, the canvas' settings): a worker
#: process with several threads runs one leafwright job at a time
_ONE_AT_A_TIME = threading.Lock()
_STYLE_ROOT: Path | None = None


def _style_root() -> Path:
    """This worker process's folder of styles, one subfolder per style content."""
    global _STYLE_ROOT
    if _STYLE_ROOT is None:
        _STYLE_ROOT = Path(tempfile.mkdtemp(prefix="leafwright-styles-"))
    return _STYLE_ROOT


def _place(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        target = root / name.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(data)


def run_bundle(bundle: Bundle):
    """Run a bundled task on a worker; returns its :class:`~leafwright.batch.TaskResult`.

    Writes only into temporary folders of its own; the PDFs come back as bytes.
    """
    from .batch import JobResult, TaskResult, run_task

    job = bundle.task.job
    if bundle.version != __version__:
        return TaskResult(
            JobResult(
                job,
                ok=False,
                diagnostics=[
                    Diagnostic(
                        f"this worker runs leafwright {__version__}, the build {bundle.version}",
                        file=job.display,
                        hint="install the same leafwright version on every worker",
                    )
                ],
            )
        )
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix="leafwright-job-") as tmp:
        styles = _style_root() / bundle.style_key
        _place(styles, bundle.style_files)
        jobs_root = Path(tmp)
        _place(jobs_root, bundle.leaflet_files)
        local = replace(
            job,
            leaflet=str(jobs_root / job.leaflet.lstrip("/")),
            style=str(styles / job.style.lstrip("/")),
        )
        tr = run_task(replace(bundle.task, job=local))
        return _mapped_back(tr, job, {str(jobs_root): "", str(styles): ""}, bundle.cwd)


def _mapped_back(tr, job, roots: dict[str, str], cwd: str):
    """The result as the coordinator would have had it: its job, its paths in messages."""

    def path(p: str | None) -> str | None:
        if p is None:
            return None
        for root in roots:
            if p.startswith(root + "/"):
                original = p[len(root) :]
                try:
                    return str(Path(original).relative_to(cwd))
                except ValueError:
                    return original
        return p

    def text(s: str | None) -> str | None:
        if s is None:
            return None
        for root in roots:
            s = s.replace(root + "/", "/")
        return s

    def diag(d: Diagnostic) -> Diagnostic:
        return replace(d, file=path(d.file), message=text(d.message) or "", hint=text(d.hint))

    r = tr.result
    r.job = job
    r.inputs = [text(p) or p for p in r.inputs]
    r.warnings = [diag(d) for d in r.warnings]
    r.diagnostics = [diag(d) for d in r.diagnostics]
    r.internal_error = text(r.internal_error)
    if r.review is not None:
        r.review = (diag(r.review[0]), r.review[1])
    return tr
