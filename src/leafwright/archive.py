"""The archive of published versions: ``out/archive/<id>/<version>/``.

When a leaflet's version changes (or its content changes without a new version, or it
is withdrawn), the files of the version that was published are moved here before
anything overwrites them, with their manifest entries (sha256, dates, input hash) in
the folder's own ``manifest.json`` and the YAML that made them as ``<id>.yaml``.
Nothing that was published is lost by a rebuild.

The YAML of the version now in ``out/`` is kept beside its archive as
``out/archive/<id>/published.yaml`` (written after each build of the leaflet), so that
it can travel with its files when they are superseded, and so that ``leafwright diff``
can compare a leaflet with what was last published.

A version's folder is ``<version>``; when that name is taken by other files (the text
changed twice without a new version), ``<version>~2``, ``<version>~3`` and so on.
Each leaflet's archive is changed under an exclusive lock on its folder, so the jobs
building a leaflet's editions in parallel agree on the folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from .manifest import (
    MANIFEST_NAME,
    ManifestEntry,
    dumps,
    locked,
    read_manifest,
    relpath,
)

ARCHIVE_DIR = "archive"
PUBLISHED_YAML = "published.yaml"


def leaflet_archive(out_dir: str | Path, leaflet_id: str) -> Path:
    """The folder holding a leaflet's archived versions."""
    return Path(out_dir) / ARCHIVE_DIR / leaflet_id


def _version_folder_name(version: str) -> str:
    """A version as a folder name: characters other than letters, digits, '.', '-', '_' become '_'."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", version).strip(".") or "_"
    return name


def _fits(folder: Path, entries: list[ManifestEntry], content_hash: str) -> bool:
    """Whether ``entries`` may join ``folder``: same content, and no file there that differs."""
    if not folder.exists():
        return True
    kept = read_manifest(folder)
    for e in kept.values():
        if content_hash and e.content_hash and e.content_hash != content_hash:
            return False
    for e in entries:
        there = kept.get(e.path)
        if there is not None and there.sha256 != e.sha256:
            return False
        if there is None and (folder / e.path).exists():
            return False
    return True


def archive_outputs(
    out_dir: str | Path,
    leaflet_id: str,
    entries: list[ManifestEntry],
) -> str | None:
    """Move a published version's files into its archive folder, with their entries and YAML.

    ``entries`` are the version's manifest entries (one per file) as the manifest holds
    them. Files already gone are skipped. Returns the folder, relative to ``out_dir``
    (None when there was nothing to move).
    """
    out = Path(out_dir)
    if not any((out / e.path).is_file() for e in entries):
        return None
    root = leaflet_archive(out, leaflet_id)
    root.mkdir(parents=True, exist_ok=True)
    with locked(root):
        # looked at under the lock: another edition's job may have moved some already
        present = [e for e in entries if (out / e.path).is_file()]
        if not present:
            return None
        version = present[0].version
        content_hash = present[0].content_hash
        base = _version_folder_name(version)
        n = 1
        folder = root / base
        while not _fits(folder, present, content_hash):
            n += 1
            folder = root / f"{base}~{n}"
        folder.mkdir(parents=True, exist_ok=True)
        kept = read_manifest(folder)
        published_yaml = root / PUBLISHED_YAML
        yaml_name = f"{leaflet_id}.yaml"
        if (
            not (folder / yaml_name).exists()
            and published_yaml.is_file()
            and _yaml_version(published_yaml) == version
        ):
            os.replace(published_yaml, folder / yaml_name)
        for e in present:
            target = folder / e.path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / e.path, target)
            kept[e.path] = replace(
                e,
                source=yaml_name if (folder / yaml_name).exists() else relpath(out / e.source, folder),
                inputs=[relpath(out / i, folder) for i in e.inputs],
            )
        from .write import write_atomic

        write_atomic(folder / MANIFEST_NAME, dumps(kept))
    return relpath(folder, out)


def _yaml_version(path: Path) -> str | None:
    """The ``version:`` of a kept YAML file (read safely), or None."""
    import yaml

    # libyaml's parser when PyYAML has it (the same safe loading, ~10x faster than the pure
    # Python one: this runs for every rebuild of an edited, published leaflet)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    v = data.get("version") if isinstance(data, dict) else None
    return str(v) if v is not None else None


def keep_published_yaml(out_dir: str | Path, leaflet_id: str, data: bytes) -> None:
    """Keep the YAML of the version now published (``archive/<id>/published.yaml``)."""
    from .write import write_atomic

    root = leaflet_archive(out_dir, leaflet_id)
    root.mkdir(parents=True, exist_ok=True)
    with locked(root):
        target = root / PUBLISHED_YAML
        try:
            if target.read_bytes() == data:
                return
        except OSError:
            pass
        write_atomic(target, data)


def remove_outputs(out_dir: str | Path, entries: list[ManifestEntry]) -> None:
    """Delete a version's files (a withdrawal with --no-archive)."""
    for e in entries:
        (Path(out_dir) / e.path).unlink(missing_ok=True)


def archived_versions(out_dir: str | Path, leaflet_id: str) -> list[tuple[str, Path]]:
    """(folder name, its YAML) of every archived version that kept its YAML, oldest first."""
    root = leaflet_archive(out_dir, leaflet_id)
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        yml = folder / f"{leaflet_id}.yaml"
        if folder.is_dir() and yml.is_file():
            found.append((folder.name, yml))

    def when(item: tuple[str, Path]) -> tuple:
        entries = list(read_manifest(item[1].parent).values())
        return (entries[0].published if entries else "", _version_key(item[0]))

    return sorted(found, key=when)


def _version_key(name: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.~_-]", name))
