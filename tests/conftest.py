"""Shared fixtures: the sample leaflets rendered once per test session, in every shipped style."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import browser  # noqa: F401 (the headless Chromium fixture of the web tests)

ROOT = Path(__file__).resolve().parents[1]
LEAFLETS = sorted((ROOT / "leaflets").glob("*.yaml"))
STYLE_DIR = ROOT / "styles"
STYLES = sorted(p.stem for p in STYLE_DIR.glob("*.yaml"))
CASES = Path(__file__).resolve().parent / "cases"


def style(name: str = "default", **kw):
    """A shipped style, resolved from the repository's styles/ folder."""
    from leafwright.style import resolve_style

    return resolve_style(name, [STYLE_DIR], **kw)


@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """{(leaflet id, style name): path of its PDF} for every sample in every shipped style."""
    from leafwright.render import load_leaflet, render

    out = tmp_path_factory.mktemp("samples")
    built = {}
    for s in STYLES:
        st = style(s)
        for f in LEAFLETS:
            src = load_leaflet(f)
            path = out / f"{src.leaflet.id}.{s}.pdf"
            path.write_bytes(render(src, st))
            built[(src.leaflet.id, s)] = path
    return built


# --- the CLI in this process, and golden files -------------------------------------------

#: LEAFWRIGHT_REGEN=1 pytest ... rewrites the golden files (.expect) from what the code says
REGEN = os.environ.get("LEAFWRIGHT_REGEN") == "1"


def run_cli(args: list[str], cwd: Path | None = None):
    """Run ``leafwright ARGS`` in this process (click's CliRunner), from ``cwd``.

    An exception the CLI does not turn into a message is re-raised with its
    traceback: it is a bug, and the test should say where.
    """
    from click.testing import CliRunner

    from leafwright.cli import main

    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def diagnostic_blocks(stderr: str, file_name: str) -> str:
    """The located messages about ``file_name``, each with its source line, caret and hint."""
    out: list[str] = []
    keep = False
    for line in stderr.splitlines():
        if line.startswith(file_name + ":"):
            keep = True
        elif not line.startswith(" "):
            keep = False
        if keep:
            out.append(line)
    return "\n".join(out) + "\n"


def assert_golden(path: Path, got: str) -> None:
    """``got`` must equal the golden file (with LEAFWRIGHT_REGEN=1: becomes it)."""
    if REGEN:
        path.write_text(got, encoding="utf-8")
        return
    want = path.read_text(encoding="utf-8") if path.exists() else ""
    assert got == want, f"{path.name} differs (LEAFWRIGHT_REGEN=1 rewrites it)"


def ctrl_c_reaches_child() -> None:
    """Popen's preexec_fn for a child a test stops with SIGINT, as a user's Ctrl-C would.

    A job started in the background by a non-interactive shell (as CI may start the
    suite) inherits SIGINT ignored, and Python then never raises KeyboardInterrupt:
    give the child the default handling a program run from a terminal has.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
