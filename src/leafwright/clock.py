"""Today's date, overridable for reproducible runs and tests.

``LEAFWRIGHT_TODAY=2025-06-01`` makes every date-dependent answer (review dates in the
checks, days until due in ``leafwright review``) as it would be on that day.
"""

from __future__ import annotations

import datetime as _dt
import os

from .errors import EXIT_USAGE, LeafwrightError

ENV = "LEAFWRIGHT_TODAY"


def today() -> _dt.date:
    """Today, or the date in ``$LEAFWRIGHT_TODAY`` (YYYY-MM-DD) when it is set."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(raw)
    except ValueError:
        raise LeafwrightError.single(
            f"{ENV}={raw} is not a date",
            exit_code=EXIT_USAGE,
            hint=f"write it as YYYY-MM-DD, e.g. {ENV}=2025-06-01, or unset it",
        ) from None
