"""The rule registry: every check's stable id, severity, one-line summary and source.

Ids never change meaning once released: a leaflet's ``checks: ignore:`` list
and a project's ``ignore`` list name them. The first digit is the family:
0 meta, 1 contrast, 2 clear print, 3 images, 4 structure, 5 governance,
6 readability, 7 versions, 8 language. ``docs/checks.md`` explains each one and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One check: its id, family, default severity, what it checks and where that comes from."""

    id: str
    family: str
    severity: str  # "error" or "warning"
    summary: str
    guidance: str


_WCAG = "WCAG 2.2 SC 1.4.3 Contrast (Minimum)"
_CLEAR = "RNIB Clear Print guidelines; UKAAF Creating clear print and large print documents"
_PIF = "Patient Information Forum (PIF TICK) criteria"

RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule("LW001", "meta", "error", "an ignore list names a rule that does not exist", "leafwright"),
        Rule(
            "LW101",
            "contrast",
            "error",
            "text colour on its background below 4.5:1 (3:1 for 18pt, or 14pt bold, and up)",
            _WCAG,
        ),
        Rule(
            "LW102",
            "contrast",
            "error",
            "a meaningful graphic (list bullets, QR code) below 3:1 on its background",
            "WCAG 2.2 SC 1.4.11 Non-text Contrast",
        ),
        Rule(
            "LW103",
            "contrast",
            "warning",
            "a brand colour was darkened or lightened to meet contrast",
            "WCAG 2.2 SC 1.4.3 and 1.4.11",
        ),
        Rule("LW201", "clearprint", "error", "body text below 12pt (large print: below 16pt)", _CLEAR),
        Rule("LW202", "clearprint", "warning", "large-print body text below 18pt", _CLEAR),
        Rule(
            "LW203",
            "clearprint",
            "error",
            "captions, footers, page numbers, table cells or labels smaller than the body minimum",
            _CLEAR,
        ),
        Rule("LW204", "clearprint", "error", "justified text", _CLEAR),
        Rule("LW205", "clearprint", "warning", "italic text", _CLEAR),
        Rule("LW206", "clearprint", "warning", "a run of words in capitals", _CLEAR),
        Rule(
            "LW207", "clearprint", "warning", "line length outside 50-80 characters (60-70 is ideal)", _CLEAR
        ),
        Rule("LW208", "clearprint", "error", "the 'other formats on request' notice below 16pt", _CLEAR),
        Rule(
            "LW209",
            "clearprint",
            "warning",
            "a fallback font with no bold face (bold text prints regular in its characters)",
            _CLEAR,
        ),
        Rule(
            "LW210",
            "clearprint",
            "error",
            "text in a script (or a symbol) that none of the style's fonts has",
            "leafwright (a character with no font would print as a blank box)",
        ),
        Rule("LW301", "images", "error", "alt text is a file name", "WCAG 2.2 SC 1.1.1 Non-text Content"),
        Rule(
            "LW302",
            "images",
            "warning",
            "alt text starts with 'image of' or similar",
            "WCAG 2.2 SC 1.1.1; W3C WAI alt text decision tree",
        ),
        Rule(
            "LW303",
            "images",
            "warning",
            "alt text longer than 250 characters",
            "W3C WAI images tutorial (long descriptions belong in the text)",
        ),
        Rule(
            "LW304",
            "images",
            "warning",
            "image below 300 dpi at its printed size",
            "Print production practice (300 dpi at final size)",
        ),
        Rule(
            "LW305",
            "images",
            "warning",
            "image too tall for the page at its width (it is printed smaller)",
            "leafwright layout (a picture is never cut or run off the page)",
        ),
        Rule(
            "LW401",
            "structure",
            "error",
            "sections nested deeper than heading level 6",
            "PDF/UA-1 (ISO 14289-1) 7.4; WCAG 2.2 SC 1.3.1",
        ),
        Rule("LW402", "structure", "error", "a section with no content", "WCAG 2.2 SC 2.4.6"),
        Rule("LW403", "structure", "error", "two leaflets in the library share an id", "leafwright"),
        Rule(
            "LW404",
            "structure",
            "error",
            "a link that is malformed or uses a scheme not allowed",
            "WCAG 2.2 SC 2.4.4; leafwright link policy (http, https, mailto, tel)",
        ),
        Rule("LW405", "structure", "warning", "the contact panel has no telephone number", _PIF),
        Rule("LW406", "structure", "warning", "the contact panel has no web address", _PIF),
        Rule(
            "LW407",
            "structure",
            "warning",
            "a web or e-mail address in the text wider than a line (it is broken over lines)",
            "WCAG 2.2 SC 2.4.4 Link Purpose; GOV.UK content design (links)",
        ),
        Rule(
            "LW501",
            "governance",
            "error",
            "the review date has passed (a warning at build: the PDF is still made)",
            _PIF,
        ),
        Rule("LW502", "governance", "warning", "the review date is near", _PIF),
        Rule("LW503", "governance", "warning", "more than 3 years between publication and review", _PIF),
        Rule("LW504", "governance", "error", "no way to contact the publisher", _PIF),
        Rule(
            "LW505",
            "governance",
            "error",
            "no sources or references (or a statement that they are available on request)",
            _PIF,
        ),
        Rule("LW506", "governance", "error", "no authors or reviewers named", _PIF),
        Rule("LW507", "governance", "error", "no feedback route", _PIF),
        Rule("LW508", "governance", "error", "no disclaimer", _PIF),
        Rule(
            "LW509",
            "governance",
            "warning",
            "no 'other formats on request' notice (printed only when the publisher offers them)",
            _PIF + "; Accessible Information Standard (NHS England DCB1605)",
        ),
        Rule(
            "LW511",
            "governance",
            "warning",
            "version, publication date, review date or publisher not stated (nothing is printed for them)",
            _PIF,
        ),
        Rule(
            "LW510",
            "governance",
            "error",
            "a TODO placeholder is left in the leaflet (as `leafwright import` writes them)",
            "leafwright",
        ),
        Rule(
            "LW601",
            "readability",
            "warning",
            "the leaflet's SMOG grade is above the target",
            "NHS content style guide; SMOG (McLaughlin 1969)",
        ),
        Rule(
            "LW602",
            "readability",
            "warning",
            "a section's SMOG grade is above the target",
            "NHS content style guide; SMOG (McLaughlin 1969)",
        ),
        Rule(
            "LW701",
            "versions",
            "warning",
            "the text a reader sees changed since the last build, but the version did not",
            "NHS trust document-control practice: every approved version is kept and told apart",
        ),
        Rule(
            "LW702",
            "versions",
            "warning",
            "the version changed but the publication date did not move forward",
            "NHS trust document-control practice: every approved version is kept and told apart",
        ),
        Rule(
            "LW703",
            "versions",
            "warning",
            "a translation is out of date: the leaflet it translates has moved past its source_version",
            "NHS trust translation practice: a translation is kept in step with the English it translates",
        ),
        Rule(
            "LW704",
            "versions",
            "warning",
            "the leaflet a translation is made from states no version (up to date or not cannot be told)",
            "NHS trust translation practice: a translation is kept in step with the English it translates",
        ),
        Rule(
            "LW801",
            "language",
            "warning",
            "fixed labels with no text in the leaflet's language (they print in English)",
            "Accessible Information Standard (NHS England DCB1605); NHS England guidance on "
            "translated patient information",
        ),
        Rule(
            "LW802",
            "language",
            "warning",
            "a number in space-separated groups in right-to-left text (it would read backwards)",
            "Unicode Bidirectional Algorithm (UAX #9), rules W1-W7 and N1: spaces between numbers "
            "take the paragraph's direction",
        ),
    ]
}

#: Rules whose error becomes a warning at build time (the PDF is still made).
BUILD_WARNINGS = frozenset({"LW501"})

#: The family whose errors a draft may still have: the PDF is made, marked DRAFT, and
#: the findings are warnings saying what is missing before it can be approved.
DRAFT_WARNING_FAMILY = "governance"
