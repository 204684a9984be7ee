"""Hostile and broken input, all at once (issue 9): every file in tests/cases/hostile/ (and
the big ones made here) is built in one batch and validated in one run. Each broken leaflet
gets its located message, no traceback, no PDF; the good ones in the same batch still build.

A case file says what it must give in ``# expect: <text>`` lines at its top: each text must
appear in a message located in that file (``name.yaml:LINE:COL: ...``).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from conftest import CASES

HOSTILE = CASES / "hostile"
#: cases with no room for a comment, or made here: what they must say
EXPECT = {
    "leaflet-empty": ["a leaflet file must be a mapping of keys (e.g. 'title: ...'), found nothing"],
    "big-20mb": ["file: the file is 20.0 MB; a leaflet file may be at most 2 MB"],
    "nested-200": ["values are nested more than 100 deep"],
}
#: cases that are unusual but valid: they build (and the PDF is checked elsewhere)
BUILDS = {"utf8-bom", "list-2000", "word-200", "table-40"}


def _png(width: int, height: int) -> bytes:
    """A one-colour greyscale PNG, tiny on disk however large it claims to be."""
    raw = zlib.compress(b"".join(b"\0" + b"\0" * width for _ in range(height)), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _head(lid: str) -> str:
    """A valid leaflet's text up to its first section's blocks, with this id."""
    text = (HOSTILE / "utf8-bom.yaml").read_text(encoding="utf-8-sig")
    text = text.split("\n", 1)[1].replace("id: utf8-bom", f"id: {lid}")
    return text.split("    blocks:\n")[0] + "    blocks:\n"


def make_big_cases(folder: Path) -> None:
    """The cases too big to keep in the repository."""
    (folder / "huge.png").write_bytes(_png(20000, 20000))
    items = "".join(f"          - Item number {i} of a long list.\n" for i in range(2000))
    (folder / "list-2000.yaml").write_text(_head("list-2000") + "      - bullets:\n" + items)
    (folder / "word-200.yaml").write_text(
        _head("word-200") + "      - paragraph: A word " + "x" * 200 + " with no break.\n"
    )
    header = ", ".join(f"H{i}" for i in range(40))
    row = ", ".join(f"c{i}" for i in range(40))
    (folder / "table-40.yaml").write_text(
        _head("table-40")
        + f"      - table:\n          header: [{header}]\n          rows:\n            - [{row}]\n"
    )
    nest = ""
    for d in range(200):
        ind = "  " * (2 * d + 1)
        nest += f"{ind}- heading: Level {d}\n{ind}  blocks:\n{ind}    - paragraph: Text.\n{ind}  sections:\n"
    head = _head("nested-200").split("sections:\n")[0]
    (folder / "nested-200.yaml").write_text(head + "sections:\n" + nest + "  " * 401 + "[]\n")
    # 20 MB of a valid-looking leaflet: refused by its size, before it is read
    filler = "      - paragraph: " + "words " * 30 + "\n"
    with (folder / "big-20mb.yaml").open("w") as fh:
        fh.write(_head("big-20mb"))
        for _ in range(20_000_000 // len(filler) + 1):
            fh.write(filler)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "leaflets"
    shutil.copytree(HOSTILE, folder)
    make_big_cases(folder)
    return folder


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "leafwright.cli", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def built(corpus: Path) -> subprocess.CompletedProcess:
    return _run("build", ".", "--out", "../out", "-j", "1", cwd=corpus)


@pytest.fixture(scope="module")
def validated(corpus: Path) -> subprocess.CompletedProcess:
    return _run("validate", ".", cwd=corpus)


@pytest.fixture(scope="module")
def checked(corpus: Path) -> subprocess.CompletedProcess:
    return _run("check", ".", cwd=corpus)


def _cases() -> list[str]:
    names = {p.stem for p in HOSTILE.glob("*.yaml")} | set(EXPECT) | BUILDS
    return sorted(names)


def _expected(corpus: Path, name: str) -> list[str]:
    if name in EXPECT:
        return EXPECT[name]
    head = (corpus / f"{name}.yaml").read_bytes()[:2000].decode("utf-8", "replace")
    return [line[len("# expect: ") :] for line in head.splitlines() if line.startswith("# expect: ")]


def test_the_batch_fails_with_exit_1_and_no_traceback(built, validated, checked):
    for r in (built, validated, checked):
        assert r.returncode == 1, r.stderr[-2000:]
        assert "Traceback" not in r.stderr + r.stdout
        assert "internal error" not in r.stderr


@pytest.mark.parametrize("name", _cases())
def test_case(name: str, corpus: Path, built, validated, checked) -> None:
    out = corpus.parent / "out"
    pdfs = {p.stem for p in out.glob("*.pdf")}
    if name in BUILDS:
        assert name in pdfs, built.stderr[-3000:]
        assert f"ok      {name}.yaml" in validated.stdout
        return
    wants = _expected(corpus, name)
    assert wants, f"{name} says nothing it must report"
    # pictures are opened by the build (validate reads the leaflet file only)
    runs = [("build", built)]
    if not name.startswith("image-"):
        runs += [("validate", validated), ("check", checked)]
    for stream, r in runs:
        text = r.stderr + r.stdout
        located = [
            line
            for line in text.splitlines()
            if line.startswith(f"{name}.yaml:") and line[len(name) + 6 :].split(":", 1)[0].isdigit()
        ]
        for want in wants:
            if want.startswith("file: "):  # about the whole file: no line to point at
                assert f"{name}.yaml: {want[6:]}" in text, f"{stream}: {want!r} not in\n{text[-3000:]}"
            elif want.startswith("hint: "):
                assert want in text, f"{stream}: {want!r} not in\n{text[-3000:]}"
            else:
                # check's lines leave out the YAML path ('review_by: ') that the others show
                alt = want.split(": ", 1)[1] if stream == "check" and ": " in want else want
                assert any(want in line or alt in line for line in located), (
                    f"{stream}: {want!r} not in\n" + "\n".join(located or text.splitlines()[-40:])
                )
    assert not any(p.startswith(name) for p in pdfs), "a failed leaflet writes no PDF"


def test_big_file_is_refused_before_it_is_read(corpus: Path, monkeypatch) -> None:
    from leafwright.errors import YAMLSyntaxError
    from leafwright.load import load_file

    def no_read(self):  # the size alone decides: the 20 MB are never read
        raise AssertionError("read_bytes called on a file over the limit")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(YAMLSyntaxError) as exc:
        load_file(corpus / "big-20mb.yaml", display="big-20mb.yaml")
    assert "a leaflet file may be at most 2 MB" in exc.value.format()


def test_image_outside_the_folder_is_never_opened(tmp_path: Path, monkeypatch) -> None:
    """The checks and the build refuse a picture outside the leaflet's folder before opening it."""
    import PIL.Image

    from conftest import style
    from leafwright.checks import check_source, load_config
    from leafwright.errors import UnsafePathError
    from leafwright.render import load_leaflet, render

    outside = tmp_path / "secret.png"
    outside.write_bytes(_png(10, 10))
    folder = tmp_path / "leaflets"
    folder.mkdir()
    text = (
        (HOSTILE / "image-escapes-folder.yaml").read_text().replace("../../../etc/hosts.png", "../secret.png")
    )
    (folder / "x.yaml").write_text(text)
    opened: list = []
    real_open = PIL.Image.open
    monkeypatch.setattr(PIL.Image, "open", lambda fp, *a, **k: opened.append(fp) or real_open(fp, *a, **k))
    src = load_leaflet(folder / "x.yaml")
    check_source(src, style(), load_config())
    with pytest.raises(UnsafePathError):
        render(src, style())
    assert not [f for f in opened if "secret" in str(f)]


def test_a_font_file_that_is_not_a_font_is_a_usage_error(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "notfont.ttf").write_text("This is text with a .ttf name.\n")
    (tmp_path / "badfont.yaml").write_text("extends: default\nfonts:\n  regular: notfont.ttf\n")
    r = _run("build", str(corpus / "utf8-bom.yaml"), "--style", "badfont.yaml", "--out", "out", cwd=tmp_path)
    assert r.returncode == 2
    assert "badfont.yaml: cannot read font file notfont.ttf: it is not a font" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()
