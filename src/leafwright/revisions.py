"""Where ``leafwright diff`` finds the two versions it compares.

A revision is written as one of:

* ``FILE.yaml`` -- a leaflet file;
* ``ID@VERSION`` -- a version kept in the archive (``OUT/archive/ID/VERSION/ID.yaml``), or
  the version now published (``OUT/archive/ID/published.yaml``);
* ``git:REV`` -- the other side's file as it was at git revision REV (a commit, a tag,
  ``HEAD~1``), or ``git:REV:PATH`` for a given file.

With a single FILE, the other side is the last version published before it: the one now
in ``OUT/`` when it reads differently, else the newest in the archive.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import EXIT_USAGE, LeafwrightError
from .errors import display_path as _display


@dataclass
class Revision:
    """A leaflet's YAML from somewhere, with a label saying where."""

    label: str
    text: str


def _usage(message: str, hint: str | None = None) -> LeafwrightError:
    return LeafwrightError.single(message, exit_code=EXIT_USAGE, hint=hint)


def _read(path: Path, label: str) -> Revision:
    try:
        return Revision(label, path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _usage(f"cannot read {label}: {getattr(exc, 'strerror', None) or exc}") from None


def _git(rev: str, path: str) -> Revision:
    """The file ``path`` at git revision ``rev``, read with ``git show`` in the file's folder."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if rev.startswith("-"):
        raise _usage(f"'{rev}' is not a git revision")
    try:
        r = subprocess.run(
            ["git", "-C", str(folder), "show", f"{rev}:./{p.name}"],
            capture_output=True,
            check=False,
        )
    except OSError:
        raise _usage("git is not installed", "install git, or compare two files") from None
    if r.returncode != 0:
        msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _usage(
            f"cannot read {_display(p)} at git revision {rev}: {msg[-1] if msg else 'git failed'}",
            "give a commit, tag or branch that holds the file, e.g. git:HEAD~1",
        )
    try:
        return Revision(f"git:{rev}:{_display(p)}", r.stdout.decode("utf-8"))
    except UnicodeDecodeError:
        raise _usage(f"{_display(p)} at {rev} is not UTF-8 text") from None


def resolve(spec: str, other: str | None, out_dir: str) -> Revision:
    """The revision ``spec`` names (``other`` is the other side's spec, for ``git:REV``)."""
    from .archive import PUBLISHED_YAML, leaflet_archive

    if spec.startswith("git:"):
        rest = spec[4:]
        rev, _, path = rest.partition(":")
        if not rev:
            raise _usage(f"'{spec}' names no git revision", "write git:REV, e.g. git:HEAD~1")
        if not path:
            if other is None or other.startswith("git:") or not Path(other).is_file():
                raise _usage(
                    f"'{spec}' needs a file: write git:{rev}:PATH, or give the file as the other side",
                    f"e.g. leafwright diff git:{rev} leaflets/my-leaflet.yaml",
                )
            path = other
        return _git(rev, path)
    p = Path(spec)
    if p.is_file():
        return _read(p, _display(p))
    if "@" in spec and "/" not in spec:
        lid, _, version = spec.partition("@")
        root = leaflet_archive(out_dir, lid)
        kept = root / version / f"{lid}.yaml"
        if kept.is_file():
            return _read(kept, spec)
        published = root / PUBLISHED_YAML
        if published.is_file() and _version_of(published) == version:
            return _read(published, f"{spec} (published)")
        known = available(out_dir, lid)
        raise _usage(
            f"no version {version} of {lid} in {_display(Path(out_dir) / 'archive')}",
            ("versions kept: " + ", ".join(known))
            if known
            else "build it first: the archive keeps each version",
        )
    raise _usage(
        f"no such file or archived version: {spec}",
        "give a leaflet file, ID@VERSION from the archive, or git:REV",
    )


def _version_of(path: Path) -> str | None:
    from .archive import _yaml_version

    return _yaml_version(path)


def available(out_dir: str, leaflet_id: str) -> list[str]:
    """The versions ``ID@VERSION`` can name: archived folders, then the published one."""
    from .archive import PUBLISHED_YAML, archived_versions, leaflet_archive

    names = [name for name, _ in archived_versions(out_dir, leaflet_id)]
    published = leaflet_archive(out_dir, leaflet_id) / PUBLISHED_YAML
    v = _version_of(published) if published.is_file() else None
    if v and v not in names:
        names.append(v)
    return names


def last_published(file: str, leaflet, out_dir: str, content: str) -> Revision:
    """The last version published before ``file``: the one in OUT/ if it reads differently,
    else the newest in the archive."""
    from .archive import PUBLISHED_YAML, archived_versions, leaflet_archive

    candidates: list[tuple[str, Path]] = []
    published = leaflet_archive(out_dir, leaflet.id) / PUBLISHED_YAML
    if published.is_file():
        candidates.append((f"{leaflet.id}@{_version_of(published)} (published)", published))
    candidates += [
        (f"{leaflet.id}@{name}", yml) for name, yml in reversed(archived_versions(out_dir, leaflet.id))
    ]
    for label, path in candidates:
        if _content_of(path) != content:
            return _read(path, label)
    if candidates:
        label, path = candidates[0]
        return _read(path, label)
    raise _usage(
        f"no published version of {leaflet.id} in {_display(Path(out_dir))} to compare {file} with",
        "build it (the archive keeps each version), or give two files: leafwright diff OLD NEW",
    )


def _content_of(path: Path) -> str | None:
    """The reader-content hash of a kept YAML file, None when it no longer loads."""
    from .content import content_hash
    from .load import load_yaml
    from .model import validate_leaflet

    try:
        return content_hash(validate_leaflet(load_yaml(path.read_text(encoding="utf-8"), str(path))))
    except (LeafwrightError, OSError, UnicodeDecodeError):
        return None
