"""Versions: a leaflet compared with what was last built from it (LW701, LW702).

Unlike the other families these need the previous build's record of the leaflet
(``out/manifest.json``), so they run beside :func:`~leafwright.checks.check_source`,
not inside it: ``build`` runs them in each job against the manifest it is about to
update, ``check`` against the manifest in ``--out``.
"""

from __future__ import annotations

from ..errors import Diagnostic
from .base import leaflet_diagnostic


def check_versions(
    source, record, content_hash: str, ignored: frozenset[str] = frozenset()
) -> list[Diagnostic]:
    """Findings for a leaflet against ``record`` (its :class:`~leafwright.manifest.LeafletRecord`).

    LW701 when what a reader sees changed (``content_hash`` differs from the record's) while
    the version stayed; LW702 when the version changed but ``published`` is not later than
    the previous version's. Nothing without a record, or for a draft or withdrawn leaflet.
    """
    lf = source.leaflet
    if record is None or lf.status != "approved" or record.status == "withdrawn":
        return []
    if lf.version is None or lf.published is None:
        return []  # nothing stated to compare (LW511 says what is missing)
    skip = set(ignored) | {i.rule for i in (lf.checks.ignore if lf.checks else [])}
    found: list[Diagnostic] = []
    new_pub = lf.published.isoformat()
    # every build of this version the folder remembers, and the one last built
    seen = [(h.published, h.content_hash) for h in record.history if h.version == lf.version]
    if record.version == lf.version:
        seen.append((record.published, record.content_hash))
    changed = [(pub, h) for pub, h in seen if h and h != content_hash]
    if "LW701" not in skip and changed:
        old_pub = changed[0][0]
        found.append(
            leaflet_diagnostic(
                source,
                "LW701",
                ("version",),
                f"{lf.id}: the text a reader sees has changed since version {lf.version} "
                f"(published {old_pub}) was built, but the version is still {lf.version} "
                f"(published {new_pub})",
                "give the new text a new version and a later published date, with a change_note; "
                "'leafwright diff' shows what changed",
            )
        )
    # the version before this one: the last one built, or the last in the history
    before = [(h.version, h.published) for h in record.history if h.version != lf.version]
    if record.version != lf.version:
        before.append((record.version, record.published))
    if "LW702" not in skip and before:
        old_version, old_pub = before[-1]
        if new_pub <= old_pub:
            found.append(
                leaflet_diagnostic(
                    source,
                    "LW702",
                    ("published",),
                    f"{lf.id}: version {lf.version} is published {new_pub}, not after version "
                    f"{old_version} (published {old_pub})",
                    "set published to the date this version was approved",
                )
            )
    return found
