"""Shared fixtures: the sample leaflets rendered once per test session, in every shipped style."""

from __future__ import annotations

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
