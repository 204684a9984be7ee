"""``leafwright new``: a starter leaflet that shows every block type and builds as it is."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from .errors import EXIT_USAGE, LeafwrightError
from .jsonschemas import schema_id

STARTER = """\
# yaml-language-server: $schema={schema}
# A starter leaflet made by `leafwright new`. Edit the text, keep the shape.
# Every key is described in the schema: run `leafwright schema`.
id: {id}
title: {title}
subtitle: A short line about who this leaflet is for
language: en-GB
version: "0.1"                 # text, in quotes
published: {today}
review_by: {review}            # usually within three years
status: draft                  # marked DRAFT on every page until you change this to approved
change_note: First version.    # one line: what changed in this version
owner:                         # who keeps it right and reviews it (not printed)
  name: Patient information team
  contact: info@example.org
authors:
  - name: Your name
    role: Information officer
reviewers:
  - name: A clinical reviewer
    role: Consultant
online_url: https://example.org/leaflets/{id}
publisher:
  name: Example Health Charity
  address: [1 Example Street, Exampletown, EX1 2MP]
  helpline:
    label: Freephone helpline
    number: 0800 000 0000
    hours: Monday to Friday, 9am to 5pm
  email: info@example.org
  web: https://example.org
  charity_number: Registered charity no. 0000000

key_points:
  items:
    - One short sentence that the reader must not miss.
    - Another key point, in plain words.

sections:
  - heading: What is this about?
    blocks:
      - paragraph: >-
          A paragraph of plain text. You can use **bold** for emphasis and
          add a [link to a web page](https://example.org).
      - bullets:
          - A bulleted list item.
          - lead: A bold lead-in.
            text: followed by the rest of the item.
      - numbered:
          - The first step.
          - The second step.
  - heading: Questions people ask
    blocks:
      - faq:
          - question: Is this a question?
            answer: Yes. The answer follows the question.
  - heading: More detail
    blocks:
      - callout:
          kind: warning            # info, warning or note
          title: Before you start
          text: A boxed note on a pale background.
      - table:
          caption: An example table
          header: [When, What to do]
          rows:
            - [Morning, Take the tablet with water]
            - [Evening, Nothing]
      - image:
          file: {id}-picture.png
          alt: A blue square with a white circle in it.
          caption: A picture with a caption.
          width: 50  # millimetres: 600 pixels across 50 mm is 300 dpi, sharp in print
      - links:
          title: See also
          items:
            - text: Example Health Charity
              url: https://example.org

disclaimer: >-
  This leaflet is general information; it does not replace advice from your own doctor.
feedback: Tell us what you think of this leaflet at info@example.org.
# only if you offer other formats: say which, and how to ask (left out, no notice is printed)
other_formats: "Ask us for this leaflet in large print, audio or easy read: call 0800 000 0000."
references:
  - A reference to the source of the information.
"""


def _picture() -> bytes:
    """A small PNG (a white circle on blue) for the starter's image block."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 300), (29, 79, 145))
    ImageDraw.Draw(img).ellipse((200, 50, 400, 250), fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def write_starter(name: str, folder: Path, today: _dt.date | None = None) -> list[Path]:
    """Write ``NAME.yaml`` and its picture into ``folder``; refuse to overwrite."""
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", name):
        raise LeafwrightError.single(
            f"'{name}' is not a valid leaflet name",
            exit_code=EXIT_USAGE,
            hint="use lower-case letters, digits and hyphens, e.g. my-leaflet",
        )
    today = today or _dt.date.today()
    review = (
        today.replace(year=today.year + 3)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year + 3, day=28)
    )
    target = folder / f"{name}.yaml"
    picture = folder / f"{name}-picture.png"
    for p in (target, picture):
        if p.exists():
            raise LeafwrightError.single(
                f"{p} already exists", exit_code=EXIT_USAGE, hint="choose another name or delete the old file"
            )
    folder.mkdir(parents=True, exist_ok=True)
    title = name.replace("-", " ").capitalize()
    target.write_text(
        STARTER.format(
            id=name,
            title=title,
            today=today.isoformat(),
            review=review.isoformat(),
            schema=schema_id("leaflet"),
        ),
        encoding="utf-8",
    )
    picture.write_bytes(_picture())
    return [target, picture]
