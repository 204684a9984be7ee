"""Governance, informed by the Patient Information Forum's PIF TICK criteria.

What a trustworthy leaflet carries, and its review date against today. A leaflet may
leave out its version, dates or publisher when its source does not give them: nothing
is then printed for them (never a guess), and LW511 says what is not stated.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..layout import format_date
from ..model import iter_texts
from .base import Context


def _add_years(d: _dt.date, years: float) -> _dt.date:
    whole = int(years)
    try:
        out = d.replace(year=d.year + whole)
    except ValueError:  # 29 February
        out = d.replace(year=d.year + whole, day=28)
    return out + _dt.timedelta(days=round((years - whole) * 365.25))


_TODO = re.compile(r"\bTODO\b")


#: The rules that depend on the review dates and today: an unchanged leaflet's findings for
#: them are re-evaluated on every build (see :func:`review_findings`), never replayed stale.
DATE_RULES = ("LW501", "LW502", "LW503")


def review_findings(
    published: _dt.date | None, review_by: _dt.date, config, today: _dt.date
) -> list[tuple[str, str, str]]:
    """(rule, message, hint) for LW501-LW503: pure over the two dates, the settings and today.

    ``check`` and a cached build both call this, so they agree on the same day.
    """
    out = []
    days = (review_by - today).days
    if days < 0:
        out.append(
            (
                "LW501",
                f"the review date {format_date(review_by)} has passed ({-days} days ago)",
                "have the content reviewed, then update review_by, published and version",
            )
        )
    elif days <= config.review_warning_days:
        out.append(
            (
                "LW502",
                f"the review date {format_date(review_by)} is in {days} days",
                "plan the review now so the leaflet does not go out of date",
            )
        )
    if published is not None and review_by > _add_years(published, config.max_review_years):
        out.append(
            (
                "LW503",
                f"review_by is more than {config.max_review_years:g} years after published",
                f"review health information at least every {config.max_review_years:g} years",
            )
        )
    return out


def check(ctx: Context) -> None:
    """LW501-LW511."""
    lf = ctx.leaflet
    unstated = [
        what
        for what, value in (
            ("version", lf.version),
            ("publication date (published)", lf.published),
            ("review date (review_by)", lf.review_by),
            ("publisher", lf.publisher),
        )
        if value is None
    ]
    if unstated:
        ctx.report(
            "LW511",
            (),
            "not stated: " + ", ".join(unstated) + " (nothing is printed for them)",
            "add them when the publisher can say; never guess a date or a version",
        )
    if lf.review_by is not None:
        _review_dates(ctx)
    pub = lf.publisher
    if pub is None:
        ctx.report(
            "LW504",
            (),
            "no publisher named: readers have no one to contact",
            "add publisher: with its name and a phone, helpline, email, web or address",
        )
    elif not (pub.phone or pub.helpline or pub.email or pub.web or pub.address):
        ctx.report(
            "LW504",
            ("publisher",),
            f"no way to contact {pub.name}",
            "add publisher.phone, helpline, email, web or address",
        )
    _sources_and_people(ctx)


def _review_dates(ctx: Context) -> None:
    lf = ctx.leaflet
    assert lf.review_by is not None
    for rule, message, hint in review_findings(lf.published, lf.review_by, ctx.config, ctx.today):
        ctx.report(rule, ("review_by",), message, hint)


def _sources_and_people(ctx: Context) -> None:
    lf = ctx.leaflet
    if not lf.references:
        ctx.report(
            "LW505",
            (),
            "no sources or references",
            "add 'references:' listing the evidence, or one item saying that "
            "'the sources used are available on request'",
        )
    if not (lf.authors or lf.reviewers):
        ctx.report(
            "LW506",
            (),
            "no authors or reviewers named",
            "add 'authors:' or 'reviewers:' (names and roles, e.g. a clinical reviewer)",
        )
    if not lf.feedback:
        ctx.report(
            "LW507",
            (),
            "no feedback route",
            "add 'feedback:' telling readers how to say what they think of the leaflet",
        )
    if not lf.disclaimer:
        ctx.report(
            "LW508",
            (),
            "no disclaimer",
            "add 'disclaimer:' (e.g. that the leaflet does not replace advice from the reader's own doctor)",
        )
    if not (lf.other_formats and lf.other_formats.strip()):
        data = ctx.source.doc.data if ctx.source.doc is not None else None
        given = isinstance(data, dict) and "other_formats" in data
        ctx.report(
            "LW509",
            ("other_formats",) if given else (),
            "no 'other formats on request' notice: none is printed",
            "if you offer them, add other_formats: say which formats (large print, audio, easy "
            "read) readers can ask for, and how",
        )
    for path, text in iter_texts(lf):
        if _TODO.search(text):
            ctx.report(
                "LW510",
                path,
                f"placeholder left in: '{_short(text)}'",
                "write what the TODO asks for (an imported leaflet marks what it could not know)",
            )


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
