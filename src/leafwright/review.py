"""``leafwright review``: which leaflets are due for review, who owns them, and how soon.

:func:`review_rows` reads loaded leaflets into :class:`ReviewRow` s sorted by due date;
:func:`select` filters them (due within N days, an owner, overdue only); the
``format_*`` functions present them as a table, CSV or JSON. Today's date is passed in
(the CLI takes it from :func:`leafwright.clock.today`, which ``LEAFWRIGHT_TODAY`` fixes).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import asdict, dataclass

from .errors import EXIT_USAGE, LeafwrightError

#: how many overdue leaflets the build summary lists before pointing at `leafwright review`
SUMMARY_LIMIT = 10


@dataclass
class ReviewRow:
    """One leaflet's review facts."""

    leaflet_id: str
    title: str
    file: str
    owner: str
    """The owning role or team ('' when the leaflet names none)."""
    contact: str
    status: str
    version: str
    published: str
    review_by: str
    days: int
    """Days until the review is due (negative: overdue by that many days)."""
    translation_of: str = ""
    """For a translation: the id of the leaflet it translates."""
    source_version: str = ""
    """For a translation: the version of that leaflet it translates."""
    source_now: str = ""
    """For a translation: that leaflet's version now ('' when it is not among the leaflets
    listed, or states none)."""

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def behind(self) -> bool:
        """A translation whose original has moved past the version it translates (LW703)."""
        return bool(self.translation_of and self.source_now and self.source_now != self.source_version)


def review_rows(sources: list, today: _dt.date, *, include_withdrawn: bool = False) -> list[ReviewRow]:
    """Rows for loaded leaflets (:class:`~leafwright.render.LeafletSource`), soonest due first.

    Withdrawn leaflets are left out unless ``include_withdrawn``: nobody reviews them.
    """
    rows = []
    versions = {src.leaflet.id: src.leaflet.version or "" for src in sources}
    for src in sources:
        lf = src.leaflet
        if lf.status == "withdrawn" and not include_withdrawn:
            continue
        rows.append(
            ReviewRow(
                leaflet_id=lf.id,
                title=lf.title,
                file=src.file,
                owner=lf.owner.name if lf.owner else "",
                contact=lf.owner.contact if lf.owner else "",
                status=lf.status,
                version=lf.version or "",
                published=lf.published.isoformat() if lf.published else "",
                # no review date stated: due now, listed first (it needs one)
                review_by=lf.review_by.isoformat() if lf.review_by else "",
                days=(lf.review_by - today).days if lf.review_by else 0,
                translation_of=lf.translation_of or "",
                source_version=lf.source_version or "",
                source_now=versions.get(lf.translation_of, "") if lf.translation_of else "",
            )
        )
    return sorted(rows, key=lambda r: (r.review_by, r.leaflet_id, r.file))


_SPAN = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.I)
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}


def parse_span(text: str) -> int:
    """'90d', '12w', '6m' (30 days each), '1y' (365 days) or '90' as a number of days."""
    m = _SPAN.match(text)
    if not m:
        raise LeafwrightError.single(
            f"--due-within {text}: not a span of time",
            exit_code=EXIT_USAGE,
            hint="write a number of days, weeks, months or years, e.g. 90d, 12w, 6m, 1y",
        )
    return int(m.group(1)) * _UNIT_DAYS[m.group(2).lower()]


def select(
    rows: list[ReviewRow],
    *,
    due_within: int | None = None,
    owner: str | None = None,
    overdue: bool = False,
) -> list[ReviewRow]:
    """The rows due within ``due_within`` days (overdue ones included), owned by ``owner``
    (any part of the owner's name or contact, any case), or overdue only."""
    out = rows
    if due_within is not None:
        out = [r for r in out if r.days <= due_within]
    if owner:
        needle = owner.casefold()
        out = [r for r in out if needle in r.owner.casefold() or needle in r.contact.casefold()]
    if overdue:
        out = [r for r in out if r.overdue]
    return out


def _due(r: ReviewRow) -> str:
    if not r.review_by:
        return "no review date"
    if r.days < 0:
        return f"overdue {-r.days} d"
    if r.days == 0:
        return "due today"
    return f"in {r.days} d"


COLUMNS = ("review_by", "due", "status", "version", "published", "leaflet", "owner")


def format_table(rows: list[ReviewRow]) -> str:
    """A plain-text table, one leaflet a line, soonest due first."""
    head = ["review by", "due", "status", "version", "published", "leaflet", "owner"]
    body = [
        [
            r.review_by,
            _due(r),
            r.status,
            r.version,
            r.published,
            r.file,
            (f"{r.owner} ({r.contact})" if r.owner else "(no owner)"),
        ]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [head, *body]]
    return "\n".join(lines) + "\n"


def behind_lines(rows: list[ReviewRow]) -> list[str]:
    """Translations whose original has a newer version: one line each, after the table."""
    late = [r for r in rows if r.behind]
    if not late:
        return []
    width = max(len(r.file) for r in late)
    n = len(late)
    return [f"{n} translation{'s' if n != 1 else ''} out of date (LW703):"] + [
        f"  {r.file.ljust(width)}  translates {r.translation_of} {r.source_version}, now at {r.source_now}"
        for r in late
    ]


def format_csv(rows: list[ReviewRow]) -> str:
    """CSV with a header row (for a spreadsheet)."""
    buf = io.StringIO()
    fields = list(asdict(rows[0]).keys()) if rows else list(ReviewRow.__dataclass_fields__)
    w = csv.DictWriter(buf, fieldnames=[*fields, "overdue"], lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({**asdict(r), "overdue": "yes" if r.overdue else "no"})
    return buf.getvalue()


def to_json(rows: list[ReviewRow], today: _dt.date) -> dict:
    """The rows as plain data, with today's date and a count of overdue leaflets."""
    return {
        "today": today.isoformat(),
        "leaflets": [{**asdict(r), "overdue": r.overdue, "translation_out_of_date": r.behind} for r in rows],
        "summary": {"listed": len(rows), "overdue": sum(r.overdue for r in rows)},
    }


def overdue_summary(overdue: list[tuple[str, str, int]], limit: int = SUMMARY_LIMIT) -> list[str]:
    """The build summary's short list of overdue leaflets: (file, review_by, days overdue) each.

    At most ``limit`` lines, most overdue first, then a pointer to ``leafwright review``.
    """
    if not overdue:
        return []
    rows = sorted(set(overdue), key=lambda x: (-x[2], x[0]))
    n = len(rows)
    lines = [
        f"REVIEW OVERDUE: {n} leaflet{'s' if n != 1 else ''} past "
        f"{'their' if n != 1 else 'its'} review date (built anyway):"
    ]
    width = max(len(f) for f, _, _ in rows[:limit])
    for f, review_by, days in rows[:limit]:
        lines.append(f"  {f.ljust(width)}  review by {review_by} ({days} days ago)")
    if n > limit:
        lines.append(f"  ... and {n - limit} more: leafwright review --overdue lists them all")
    return lines
