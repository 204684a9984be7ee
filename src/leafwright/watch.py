"""``leafwright watch``: rebuild what changed whenever a leaflet, style, picture or setting is saved.

The process stays warm (fonts registered, styles resolved, templates compiled), so a
rebuild costs what rendering costs. :class:`Session` knows which files each leaflet
depends on (the leaflet, its pictures, the style chain with its fonts and logo, the
project settings) and rebuilds only the leaflets a change touches, through the same
incremental batch runner as ``build`` (an unchanged edition is not rebuilt). Each
result is one line; a failing leaflet prints its located error and keeps its last good
output (files are only ever replaced whole); the session goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, LeafwrightError

SETTINGS_FILES = ("leafwright.yaml", "pyproject.toml")


def one_line(d: Diagnostic, more: int = 0) -> str:
    """A diagnostic on one line: ``file:line:col: path: message`` (and how many more)."""
    text = d.format(caret=False).splitlines()[0]
    return text + (f" (+{more} more)" if more else "")


@dataclass
class Session:
    """The leaflets a watch builds, what each depends on, and how to rebuild them."""

    paths: tuple[str, ...]
    style_name: str = "default"
    out_dir: str | None = "out"
    """Where builds write (changes there are ignored); None for the preview, which writes nothing."""
    variant_list: str | None = None
    files: list[Path] = field(default_factory=list)
    inputs: dict[Path, set[Path]] = field(default_factory=dict)
    """Each leaflet's pictures (from its last build), resolved."""
    failed: set[Path] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Find the leaflets again (a new file in a watched folder joins the session)."""
        from .cli import collect_leaflets

        try:
            self.files = [f.resolve() for f in collect_leaflets(self.paths)]
        except LeafwrightError:
            self.files = []

    # --- what to watch, what a change touches -------------------------------------------

    def style_files(self) -> set[Path]:
        """The style chain's files, its font files and logo (empty when the style cannot be read)."""
        from .batch import _style_font_files
        from .cli import project_style_dirs
        from .style import load_style_chain

        try:
            chain = load_style_chain(self.style_name, project_style_dirs(self.files))
        except LeafwrightError:
            return set()
        out = {Path(f).resolve() for f in chain.files}
        out |= {p.resolve() for p in _style_font_files(chain.spec) if p.suffix in (".ttf", ".otf")}
        if chain.spec.logo:
            out.add(Path(chain.spec.logo).resolve())
        return out

    def roots(self) -> list[Path]:
        """Folders to watch: the leaflets', the style's (files, fonts, logo) and the project's settings."""
        from .cli import project_style_dirs

        dirs = {Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent for p in self.paths}
        dirs |= {f.parent for f in self.files}
        dirs |= {f.parent for f in self.style_files() if "site-packages" not in f.parts}
        dirs |= {d.resolve() for d in project_style_dirs(self.files)}
        out = Path(self.out_dir).resolve() if self.out_dir else None
        roots = sorted(d for d in dirs if d.is_dir() and (out is None or (d != out and out not in d.parents)))
        # a folder inside another watched one is watched already
        roots = [d for d in roots if not any(o != d and o in d.parents for o in roots)]
        settings = [Path.cwd() / name for name in SETTINGS_FILES if (Path.cwd() / name).is_file()]
        return roots + [s for s in settings if not any(r in s.parents for r in roots)]

    def affected(self, changed: Iterable[Path]) -> list[Path]:
        """The leaflets a set of changed files touches, in the session's order."""
        out = Path(self.out_dir).resolve() if self.out_dir else None
        changed = {Path(c).resolve() for c in changed}
        changed = {c for c in changed if (out is None or out not in c.parents) and not c.name.startswith(".")}
        if not changed:
            return []
        known = set(self.files)
        self.refresh()
        new = set(self.files) - known
        if changed & (self.style_files() | {Path.cwd().resolve() / n for n in SETTINGS_FILES}):
            return list(self.files)
        hit = []
        for f in self.files:
            if f in changed or f in new or changed & self.inputs.get(f, set()):
                hit.append(f)
            elif f in self.failed and any(c.parent == f.parent or f.parent in c.parents for c in changed):
                hit.append(f)  # a failed leaflet may have been waiting for a picture that now exists
        return self._with_families(hit)

    def _with_families(self, hit: list[Path]) -> list[Path]:
        """``hit`` and the other language editions of each (a new version of an original may
        put its translations out of date; a new title changes the links): the batch runner
        rebuilds only those whose inputs did change."""
        if not hit:
            return hit
        from .editions import scan_header

        headers = {f: scan_header(f) for f in self.files}
        roots = {h.translation_of or h.id for f in hit if (h := headers.get(f)) is not None}
        family = {f for f, h in headers.items() if h is not None and (h.translation_of or h.id) in roots}
        return [f for f in self.files if f in set(hit) | family]

    # --- building ----------------------------------------------------------------------

    def build(self, files: list[Path] | None = None, on_line: Callable[[str], None] = print) -> list:
        """Rebuild ``files`` (default: all) in this process; one line per result through ``on_line``.

        With ``files`` given (a rebuild after a change), a leaflet whose outputs were
        already up to date says so, so that a fixed error is seen to be fixed.
        """
        initial = files is None
        from .batch import Job, run_batch
        from .cli import project_style_dirs
        from .editions import language_editions
        from .errors import display_path
        from .style import resolve_style
        from .variants import VARIANTS, parse_variants

        files = self.files if files is None else files
        if not files:
            return []
        start = time.perf_counter()
        try:
            style = resolve_style(self.style_name, project_style_dirs(self.files))
            variants = parse_variants(self.variant_list) if self.variant_list else list(style.spec.variants)
            style_file = str(style.chain.files[-1])
            for v in variants:
                resolve_style(style_file, variant=v)
        except LeafwrightError as exc:  # a broken style: say where, keep watching
            on_line("failed  " + one_line(exc.diagnostics[0], len(exc.diagnostics) - 1))
            self.failed |= set(files)
            return []
        family = language_editions(self.files)
        jobs = [
            Job(
                str(f),
                display_path(f),
                style_file,
                v,
                self.out_dir or "out",
                links=tuple(variants) if VARIANTS[v].links_editions else (),
                editions=family.get(str(f)),
            )
            for f in files
            for v in variants
        ]
        by_leaflet: dict[str, list] = {}
        try:
            results = run_batch(jobs, workers=1)
        except LeafwrightError as exc:
            on_line("failed  " + one_line(exc.diagnostics[0], len(exc.diagnostics) - 1))
            return []
        for r in results:
            by_leaflet.setdefault(r.job.leaflet, []).append(r)
        secs = time.perf_counter() - start
        for leaflet, rs in by_leaflet.items():
            path = Path(leaflet).resolve()
            images = {Path(i) for r in rs for i in r.inputs}
            if images or path not in self.inputs:
                self.inputs[path] = images
            bad = [r for r in rs if r.status == "failed"]
            if bad:
                self.failed.add(path)
                r = bad[0]
                if r.internal_error:
                    on_line(f"failed  {r.job.display}: internal error: {r.internal_error}")
                else:
                    on_line("failed  " + one_line(r.diagnostics[0], len(r.diagnostics) - 1))
                continue
            self.failed.discard(path)
            built = [Path(o).name for r in rs if r.status == "built" for o in r.outputs]
            if not built and not initial:
                same = [Path(o).name for r in rs for o in r.outputs]
                on_line(f"ok      {', '.join(same)}  (unchanged)")
            if built:
                warned = sum(len(r.warnings) for r in rs)
                note = f", {warned} warning{'s' if warned != 1 else ''}" if warned else ""
                on_line(f"built   {', '.join(built)}  ({secs * 1000:.0f} ms{note})")
        return results


def watch_changes(
    roots: list[Path], stop_event=None, step_ms: int = 20, on_ready: Callable[[], None] | None = None
):
    """Sets of changed paths under ``roots``, as they happen (watchfiles, debounced by ``step_ms``).

    ``on_ready`` is called once the watches are in place (a save before that is not seen).
    """
    from watchfiles import watch

    ready = on_ready
    for changes in watch(
        *roots,
        step=step_ms,
        stop_event=stop_event,
        raise_interrupt=False,
        yield_on_timeout=True,
        rust_timeout=200,
    ):
        if ready is not None:  # the first yield: watching has begun
            ready()
            ready = None
        if changes:
            yield {Path(p) for _change, p in changes}
