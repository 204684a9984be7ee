"""Audit any PDF: what fails PDF/UA-1, what else a screen reader user would trip over, and where.

``audit_pdf(path)`` returns an :class:`AuditResult`. Its verdict is page-validation's
PDF/UA-1 rule set (a checker we did not write: on veraPDF's PDF/UA-1 corpus it agrees
with the expected verdict on every file). Every failed rule becomes a :class:`Finding`
in plain words, located by page and by structure element (path and a text excerpt) where
the failure names an object we can find, with what to do about it.

Beyond the rules, the audit looks at what a listener actually gets (these are warnings:
they do not change the PDF/UA-1 verdict, since the rules allow them):

* ``unread-content`` -- marked content that no structure element claims: never read;
* ``glued-words`` -- words joined at a line break in the tagged text ("once aweek");
* ``script-without-lang`` -- text in another script (Greek, Cyrillic, Arabic ...) with no
  ``/Lang`` for it, so it is read with the wrong voice or spelled out;
* ``column-jump`` -- reading order that leaves a column before its end and comes back;
* ``skipped-heading`` -- a heading level skipped (H2 straight to H4);
* ``bare-url-link`` -- a link whose text is a web address rather than words;
* ``alt-text-file-name`` -- a picture whose alt text is a file name or just "image".

The module is pure: a path in, data out. :mod:`leafwright.auditreport` prints it as
text, JSON or an HTML page.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .pdfread import (
    LINE_BREAK,
    MarkedText,
    Node,
    PdfReport,
    basic_problems,
    inspect_pdf,
    outline,
    run_rule_checks,
)

ERROR = "error"  # fails PDF/UA-1
WARNING = "warning"  # allowed by PDF/UA-1, but a screen reader user would notice


@dataclass
class Finding:
    """One problem, said plainly, with where it is and what to do."""

    code: str  # a PDF/UA-1 rule id (PDFUA1-…) or one of the audit's own check names
    severity: str  # ERROR or WARNING
    message: str  # what is wrong, for a non-specialist
    fix: str  # what to do about it
    page: int | None = None  # 1-based
    element: str | None = None  # structure path, e.g. "Document > Sect > P"
    excerpt: str | None = None  # the text concerned, shortened
    detail: str | None = None  # the checker's own technical wording
    note: str | None = None  # what is particular to this place (the words heard run together ...)


@dataclass
class Spoken:
    """One stop in the reading order, as a screen reader would announce it."""

    page: int | None  # 1-based
    depth: int
    role: str  # how it is announced: "heading level 2", "list, 3 items", "link" ...
    text: str


@dataclass
class AuditResult:
    """Everything ``leafwright audit`` says about one PDF."""

    file: str
    pages: int
    title: str | None
    title_shown: bool  # /DisplayDocTitle true: viewers show the title, not the file name
    lang: str | None
    tagged: bool
    encrypted: bool
    fonts: list[dict]
    checker: str | None  # "page-validation 0.11.0"
    rules: int
    compliant: bool
    findings: list[Finding]
    outline: list[str]  # the structure tree as indented lines
    reading: list[Spoken]  # the reading order as a screen reader would read it
    seconds: float = 0.0
    page_sizes: list[tuple[float, float]] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def to_dict(self) -> dict:
        """Plain data for ``--format json``."""
        d = asdict(self)
        d["errors"] = len(self.errors)
        d["warnings"] = len(self.warnings)
        return d


# --- where things are -------------------------------------------------------------------


def clip(text: str, width: int = 80) -> str:
    """Text on one line, at most ``width`` characters."""
    text = " ".join(text.replace(LINE_BREAK, "").split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


class _Places:
    """Finds a structure element's path, page and text from its object number."""

    def __init__(self, report: PdfReport):
        self.report = report
        self.by_obj: dict[int, Node] = {}
        self.path: dict[int, str] = {}  # id(node) -> path
        self.parent: dict[int, Node] = {}
        self.link_of_annot: dict[int, Node] = {}
        if report.tree is not None:
            self._index(report.tree, [])

    def _index(self, node: Node, trail: list[str]) -> None:
        for k in node.elements:
            here = trail + [k.role if k.role == k.std_role else f"{k.role} ({k.std_role})"]
            self.path[id(k)] = " > ".join(here)
            self.parent[id(k)] = node
            if k.obj is not None:
                self.by_obj[k.obj] = k
            for a in k.annotations:
                if a.obj is not None:
                    self.link_of_annot[a.obj] = k
            self._index(k, here)

    def page_of(self, node: Node) -> int | None:
        for n in node.walk():
            for k in n.kids:
                if isinstance(k, MarkedText) and k.page >= 0:
                    return k.page + 1
                if not isinstance(k, (MarkedText, Node)) and k.page is not None:
                    return k.page + 1
        return None

    def locate(self, finding: Finding, obj: int | None) -> None:
        """Fill in the page, element and excerpt a failed rule's object number points at."""
        rep = self.report
        m = re.search(r"\bpage (\d+)", finding.detail or "")
        if m:
            finding.page = int(m.group(1))
        if obj is None:
            return
        node = self.by_obj.get(obj) or self.link_of_annot.get(obj)
        if node is not None:
            finding.element = self.path.get(id(node))
            finding.page = finding.page or self.page_of(node)
            text = node.alt or node.text()
            finding.excerpt = clip(text) if text.strip() else None
        elif obj in rep.font_objs:
            finding.element = f"font {rep.font_objs[obj]}"
        elif obj in rep.page_objs:
            finding.page = rep.page_objs[obj] + 1
        elif obj in rep.annot_pages:
            finding.page = rep.annot_pages[obj] + 1

    def at(self, node: Node) -> dict:
        """The location fields for a finding about ``node``."""
        text = node.alt if node.std_role == "Figure" and node.alt else node.text()
        return {
            "page": self.page_of(node),
            "element": self.path.get(id(node)),
            "excerpt": clip(text) if text and text.strip() else None,
        }


# --- page-validation's rules in plain words ---------------------------------------------

# rule id (or a prefix of one) -> (what is wrong, what to do). The first matching key wins,
# so specific ids come before the prefixes that cover a family of rules.
_RULES: list[tuple[str, str, str]] = [
    (
        "PDFUA1-STRUCT-TREE-ROOT-001",
        "The PDF is not tagged: a screen reader has no headings, lists or reading order to follow "
        "and has to guess from the page layout.",
        "Export it again as a tagged PDF (in Word: File > Save as > PDF > Options > "
        "'Document structure tags for accessibility'), or rebuild it with a tool that tags.",
    ),
    (
        "PDFUA1-TAGGED-DOCUMENT-001",
        "The PDF does not declare itself as tagged (its MarkInfo does not say Marked true), so "
        "assistive technology may ignore its tags.",
        "Export it again as a tagged PDF; a PDF editor can also set 'tagged PDF' in the "
        "document's properties.",
    ),
    (
        "PDFUA1-CONTENT-TAGGING-001",
        "Something on this page is neither tagged as content nor marked as decoration, so a "
        "screen reader may skip it or read it out of order.",
        "Tag it (as text or a figure with alt text) or mark it as decoration (an artifact) in "
        "the program that made the PDF.",
    ),
    (
        "PDFUA1-TEXT-LANGUAGE-001",
        "The document does not say which language it is in, so a screen reader may read it with "
        "the wrong voice and pronunciation.",
        "Set the document language (in Word: Review > Language; in the PDF: Document Properties > "
        "Advanced > Language).",
    ),
    (
        "PDFUA1-LANGUAGE-TAG-001",
        "A language is given in a form screen readers do not understand.",
        "Use a standard language code such as en-GB, cy or fr.",
    ),
    (
        "PDFUA1-VIEWER-PREFERENCES-001",
        "Viewers are not told to show the document's title, so they show the file name instead.",
        "Tick 'show document title' in the PDF's initial view settings (DisplayDocTitle).",
    ),
    (
        "PDFUA1-METADATA-TITLE-001",
        "The document has no title in its metadata, so viewers and screen readers show the file name.",
        "Give the document a title (File > Properties > Title) and export again.",
    ),
    (
        "PDFUA1-ID-",
        "The PDF does not declare itself as PDF/UA in its metadata.",
        "Export with the PDF/UA (accessible PDF) option of the program that made it.",
    ),
    (
        "PDFUA1-METADATA-",
        "The document's metadata is missing or malformed.",
        "Export the PDF again with the program's accessibility (PDF/UA) option.",
    ),
    (
        "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001",
        "A picture has no alternative text, so a screen reader user does not know what it shows.",
        "Add alt text saying what the picture tells the reader, or mark it as decoration if it adds nothing.",
    ),
    (
        "PDFUA1-FORMULA-ALTERNATIVE-TEXT-001",
        "A formula has no alternative text, so it cannot be read out.",
        "Add alt text that says the formula in words.",
    ),
    (
        "PDFUA1-OUTLINE-LANGUAGE-001",
        "The bookmarks have no language, so a screen reader may read them with the wrong voice.",
        "Set the document language (it covers the bookmarks too).",
    ),
    (
        "PDFUA1-ANNOTATION-CONTENTS-LANGUAGE-001",
        "A link or comment description has no language, so it may be read with the wrong voice.",
        "Set the document language.",
    ),
    (
        "PDFUA1-FORM-FIELD-TU-LANGUAGE-001",
        "A form field's name has no language, so it may be read with the wrong voice.",
        "Set the document language.",
    ),
    (
        "PDFUA1-ALT-TEXT-LANGUAGE-001",
        "Alt text has no language, so a screen reader may read it with the wrong voice.",
        "Set the document language.",
    ),
    (
        "PDFUA1-ACTUAL-TEXT-LANGUAGE-001",
        "Replacement text has no language, so a screen reader may read it with the wrong voice.",
        "Set the document language.",
    ),
    (
        "PDFUA1-E-TEXT-LANGUAGE-001",
        "An abbreviation's expansion has no language, so it may be read with the wrong voice.",
        "Set the document language.",
    ),
    (
        "PDFUA1-SPAN-",
        "Text with replacement or alt text has no language, so it may be read with the wrong voice.",
        "Set the document language.",
    ),
    (
        "PDFUA1-ARTIFACT-NESTED-001",
        "Decoration (an artifact) is marked inside tagged text, which confuses screen readers.",
        "Re-tag the page so decoration and content are kept apart.",
    ),
    (
        "PDFUA1-TAGGED-CONTENT-INSIDE-ARTIFACT-001",
        "Real content is hidden inside something marked as decoration, so a screen reader skips it.",
        "Re-tag the page so the content is not inside an artifact.",
    ),
    (
        "PDFUA1-TRAPNET-",
        "A printing mark (trap network) is left visible on the page.",
        "Remove printer's marks from the reading PDF.",
    ),
    (
        "PDFUA1-LINK-CONTENTS-001",
        "A link has no description, so a screen reader can only announce 'link'.",
        "Give the link a description (its /Contents), e.g. the words it is attached to.",
    ),
    (
        "PDFUA1-LINK-LINK-TAG-001",
        "A link is not tagged as a link, so screen reader users cannot find or follow it.",
        "Tag the link (a Link element holding the link's text and annotation).",
    ),
    (
        "PDFUA1-PAGE-TABS-001",
        "Pressing Tab on this page may move between links and fields in an order that does not "
        "follow the text.",
        "Set the page's tab order to follow the document structure (Tabs /S).",
    ),
    (
        "PDFUA1-ANNOTATION-",
        "An annotation (a comment, link or other mark on the page) is not described or not tagged.",
        "Tag it and give it a description, or remove it.",
    ),
    (
        "PDFUA1-WIDGET-",
        "A form field is not tagged, so a screen reader user cannot reach it.",
        "Tag each form field (a Form element) and give it a tooltip.",
    ),
    (
        "PDFUA1-FORM-FIELD-",
        "A form field has no name a screen reader can announce.",
        "Give each form field a tooltip (its /TU) saying what to enter.",
    ),
    (
        "PDFUA1-HEADING-NESTING-001",
        "A heading level is skipped, so a screen reader user moving by headings thinks part of "
        "the document is missing.",
        "Use heading levels in order: a Heading 2 under a Heading 1, a Heading 3 under a Heading 2.",
    ),
    (
        "PDFUA1-HEADING-",
        "The headings are tagged in a way screen readers cannot use for navigation.",
        "Use numbered headings (H1 to H6) consistently and not the generic H.",
    ),
    (
        "PDFUA1-TABLE-HEADERS-",
        "A table cell has no header a screen reader can find, so its value is read without saying "
        "which column or row it belongs to.",
        "Mark the table's header row (and header column) as headers.",
    ),
    (
        "PDFUA1-TABLE-ROW-COLUMNSPAN-001",
        "A table's rows have different numbers of cells, so a screen reader announces wrong "
        "columns (often an empty cell that lost its tag).",
        "Give every row the same number of cells, empty ones included.",
    ),
    (
        "PDFUA1-TABLE-",
        "A table is tagged in a way screen readers cannot navigate cell by cell.",
        "Rebuild the table with a header row and one cell per column in every row.",
    ),
    (
        "PDFUA1-TR-",
        "A table row is tagged in the wrong place.",
        "Rebuild the table so each row holds only header and data cells.",
    ),
    (
        "PDFUA1-TH-",
        "A table header cell is tagged outside a row.",
        "Rebuild the table so each row holds only header and data cells.",
    ),
    (
        "PDFUA1-TD-",
        "A table cell is tagged outside a row.",
        "Rebuild the table so each row holds only header and data cells.",
    ),
    *[
        (
            key,
            "A table or table of contents is tagged in a way screen readers cannot navigate.",
            "Rebuild it with the program's own table or contents feature.",
        )
        for key in ("PDFUA1-THEAD-", "PDFUA1-TBODY-", "PDFUA1-TFOOT-", "PDFUA1-TOC")
    ],
    *[
        (
            key,
            "A list is tagged in a way screen readers cannot announce as a list.",
            "Use the program's own bullet or numbered list feature rather than typed symbols.",
        )
        for key in ("PDFUA1-L-", "PDFUA1-LI-", "PDFUA1-LBODY-")
    ],
    (
        "PDFUA1-FONT-EMBEDDING-001",
        "A font is not included in the file, so the text may look different elsewhere and its "
        "characters may not be readable.",
        "Export again with 'embed all fonts' switched on.",
    ),
    (
        "PDFUA1-FONT-UNICODE-",
        "Some characters cannot be turned back into text, so a screen reader reads nonsense or "
        "nothing for them.",
        "Export again with a font that has proper Unicode mappings (most modern fonts do).",
    ),
    (
        "PDFUA1-NOTDEF-GLYPH-001",
        "Some text uses a character the font does not have: it prints as an empty box.",
        "Use a font that has every character of the text (or remove the invisible character).",
    ),
    *[
        (
            key,
            "A font in the file is built in a way that breaks the rules, so its text may print or "
            "be read wrongly.",
            "Export the PDF again; if the problem stays, use another font.",
        )
        for key in ("PDFUA1-FONT-", "PDFUA1-CID", "PDFUA1-CMAP", "PDFUA1-TRUETYPE", "PDFUA1-TYPE0")
    ],
    (
        "PDFUA1-",
        "A technical part of the PDF breaks the PDF/UA-1 rules that keep it readable by assistive "
        "technology.",
        "Export the PDF again with the accessibility (PDF/UA) option, or ask whoever made it.",
    ),
]


# the audit's own checks, said once for a group of findings of the same kind
CHECK_TEXT: dict[str, str] = {
    "unread-content": "Text is marked as content but no element of the document's structure holds it, "
    "so a screen reader never reads it.",
    "glued-words": "Words run together where a line breaks: the tagged text joins the last word of a "
    "line to the first of the next, and a screen reader reads them as one word.",
    "script-without-lang": "Text in another script has no language of its own, so a screen reader "
    "reads it with the wrong voice or spells it out letter by letter.",
    "column-jump": "The reading order jumps to another column before the first is finished, so a "
    "screen reader reads lines from side-by-side columns mixed together.",
    "skipped-heading": "A heading level is skipped, so someone moving by headings may think "
    "something is missing.",
    "bare-url-link": "The link's text is a web address, which a screen reader spells out character "
    "by character and which says little about where it goes.",
    "alt-text-file-name": "A picture's alt text is a file name or a word like 'image', which tells a "
    "screen reader user nothing about what it shows.",
}


def explain(code: str) -> str:
    """What a kind of finding means, said once for all findings with that code."""
    if code in CHECK_TEXT:
        return CHECK_TEXT[code]
    return explain_rule(code)[0] if code.startswith("PDFUA1-") else ""


def explain_rule(rule_id: str) -> tuple[str, str]:
    """A failed rule's meaning and what to do, in plain words."""
    for key, message, fix in _RULES:
        if rule_id == key or ((key.endswith("-") or not key[-1].isdigit()) and rule_id.startswith(key)):
            return message, fix
    return _RULES[-1][1], _RULES[-1][2]  # pragma: no cover - the last key matches every rule


# --- the audit's own checks -------------------------------------------------------------

_BLOCK = frozenset(
    [
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "LBody",
        "Lbl",
        "TD",
        "TH",
        "Caption",
        "BlockQuote",
        "Note",
        "TOCI",
        "Quote",
    ]
)
_HEADING = re.compile(r"H([1-6])")
_URL_TEXT = re.compile(r"(?i)^\s*(https?://|www\.)\S+\s*$")
_IMAGE_FILE = re.compile(r"(?i)\.(png|jpe?g|gif|svg|webp|tiff?|bmp|heic|eps|pdf)\s*$")
_IMAGE_WORDS = frozenset(
    [
        "image",
        "picture",
        "photo",
        "photograph",
        "graphic",
        "figure",
        "img",
        "pic",
        "logo",
        "icon",
        "chart",
        "diagram",
        "untitled",
    ]
)
_CAMERA_NAME = re.compile(r"(?i)^(img|dsc|dscn|pxl|screenshot|scan)[\s_-]?\d")

# the script a language's text is normally written in (Latin text is never flagged:
# names and web addresses in Latin letters are common in every language)
_SCRIPT_OF_LANG = {
    "el": {"GREEK"},
    "ar": {"ARABIC"},
    "fa": {"ARABIC"},
    "ur": {"ARABIC"},
    "ps": {"ARABIC"},
    "ckb": {"ARABIC"},
    "he": {"HEBREW"},
    "yi": {"HEBREW"},
    "hi": {"DEVANAGARI"},
    "mr": {"DEVANAGARI"},
    "ne": {"DEVANAGARI"},
    "bn": {"BENGALI"},
    "pa": {"GURMUKHI"},
    "gu": {"GUJARATI"},
    "ta": {"TAMIL"},
    "te": {"TELUGU"},
    "kn": {"KANNADA"},
    "ml": {"MALAYALAM"},
    "si": {"SINHALA"},
    "th": {"THAI"},
    "lo": {"LAO"},
    "km": {"KHMER"},
    "my": {"MYANMAR"},
    "ka": {"GEORGIAN"},
    "hy": {"ARMENIAN"},
    "am": {"ETHIOPIC"},
    "ti": {"ETHIOPIC"},
    "zh": {"CJK"},
    "ja": {"CJK", "HIRAGANA", "KATAKANA"},
    "ko": {"HANGUL", "CJK"},
    **{c: {"CYRILLIC"} for c in ["ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg"]},
}
_NO_SPACES = frozenset(["CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"])
_SCRIPT_NAMES = {
    "GREEK": "Greek",
    "CYRILLIC": "Cyrillic",
    "ARABIC": "Arabic",
    "HEBREW": "Hebrew",
    "CJK": "Chinese",
    "HANGUL": "Korean",
    "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese",
}


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    word = name.split(" ", 1)[0]
    if word in ("LATIN", "MODIFIER", "MATHEMATICAL", "FULLWIDTH", "") or not name:
        return None
    return word


def _lang_scripts(lang: str | None) -> set[str]:
    primary = (lang or "").split("-")[0].lower()
    return _SCRIPT_OF_LANG.get(primary, set())


def _leaf_blocks(tree: Node) -> list[Node]:
    """Block elements (paragraphs, headings, cells, list bodies) with no block inside them."""
    out = []
    for n in tree.walk():
        if n.std_role in _BLOCK and not any(d.std_role in _BLOCK for d in n.walk() if d is not n):
            out.append(n)
    return out


def _check_glued(places: _Places, tree: Node) -> list[Finding]:
    out = []
    for n in _leaf_blocks(tree):
        raw = n.raw_text()
        pairs = [
            (a, b)
            for a, b in re.findall(r"(\w+)" + LINE_BREAK + r"(\w+)", raw)
            # scripts written without spaces (Chinese, Japanese, Thai ...) break lines anywhere
            if _script(a[-1]) not in _NO_SPACES and _script(b[0]) not in _NO_SPACES
        ]
        if not pairs:
            continue
        heard = ", ".join(f'"{a}{b}"' for a, b in pairs[:3]) + (" …" if len(pairs) > 3 else "")
        where = places.at(n)
        # the excerpt shows the first place it happens, not the start of the paragraph
        at = raw.index(LINE_BREAK, raw.index(pairs[0][0] + LINE_BREAK))
        before, after = raw[:at].replace(LINE_BREAK, ""), raw[at:].replace(LINE_BREAK, "")
        tail = before[-40:]
        if len(before) > 40:  # start at a whole word
            tail = "\u2026" + (tail.split(" ", 1)[1] if " " in tail else tail)
        where["excerpt"] = clip(tail + after, 70)
        out.append(
            Finding(
                "glued-words",
                WARNING,
                CHECK_TEXT["glued-words"],
                "Make the program that made the PDF keep a space at the end of each line.",
                note=f"heard as {heard}",
                **where,
            )
        )
    return out


def _check_scripts(places: _Places, tree: Node, doc_lang: str | None) -> list[Finding]:
    out = []

    def visit(n: Node, lang: str | None) -> None:
        lang = n.lang or lang
        own = "".join(k.text for k in n.kids if isinstance(k, MarkedText))
        if n.actual_text is not None:
            own = n.actual_text
        expected = _lang_scripts(lang)
        found: dict[str, int] = {}
        for ch in own:
            s = _script(ch)
            if s is not None and s not in expected:
                found[s] = found.get(s, 0) + 1
        scripts = [s for s, c in found.items() if c >= 2]
        if scripts:
            names = ", ".join(_SCRIPT_NAMES.get(s, s.title()) for s in scripts)
            run = "".join(ch for ch in own if _script(ch) in scripts)
            where = places.at(n)
            where["excerpt"] = clip(own)
            out.append(
                Finding(
                    "script-without-lang",
                    WARNING,
                    CHECK_TEXT["script-without-lang"],
                    "Mark that text with its own language (e.g. el for Greek, ru for Russian).",
                    note=f"{names} script (\u201c{clip(run, 30)}\u201d) read as {lang or 'no language'}",
                    **where,
                )
            )
        for k in n.elements:
            if k.actual_text is None or n.actual_text is None:
                visit(k, lang)

    visit(tree, doc_lang)
    return out


def _check_headings(places: _Places, tree: Node, flagged: set[int]) -> list[Finding]:
    out = []
    prev = 0
    for n in tree.walk():
        m = _HEADING.fullmatch(n.std_role)
        if not m:
            continue
        level = int(m.group(1))
        if level > prev + 1 and id(n) not in flagged:
            was = f"a Heading {prev}" if prev else "the start of the document"
            out.append(
                Finding(
                    "skipped-heading",
                    WARNING,
                    CHECK_TEXT["skipped-heading"],
                    "Use heading levels in order: make it one level below the heading above it, "
                    "or add the missing level.",
                    note=f"a Heading {level} straight after {was}",
                    **places.at(n),
                )
            )
        prev = level
    return out


def _check_links(places: _Places, tree: Node) -> list[Finding]:
    out = []
    for n in tree.walk():
        if n.std_role != "Link":
            continue
        text = n.text()
        if _URL_TEXT.match(text):
            out.append(
                Finding(
                    "bare-url-link",
                    WARNING,
                    CHECK_TEXT["bare-url-link"],
                    "Put words on the link that say where it goes (e.g. 'Brittle Bone Society "
                    "website'); print the address beside it if the leaflet is also read on paper.",
                    **places.at(n),
                )
            )
    return out


def _check_alt(places: _Places, tree: Node) -> list[Finding]:
    out = []
    for n in tree.walk():
        if n.std_role != "Figure" or not n.alt:
            continue
        alt = n.alt.strip()
        word = alt.lower().strip(".")
        if _IMAGE_FILE.search(alt) or _CAMERA_NAME.match(alt) or word in _IMAGE_WORDS:
            out.append(
                Finding(
                    "alt-text-file-name",
                    WARNING,
                    CHECK_TEXT["alt-text-file-name"],
                    "Write alt text that says what the picture tells the reader, in a sentence.",
                    **places.at(n),
                )
            )
    return out


def _check_columns(places: _Places, tree: Node, report: PdfReport) -> list[Finding]:
    """Reading order that leaves a column while text beside it is still to come.

    Blocks are placed by their first glyph. On each page, blocks whose left edges are
    more than a fifth of the page apart are in different columns. Moving from column A
    to a block b in column B is a jump when a later block in A sits at b's height or
    above it: a sighted reader would finish A first. Table cells and list labels are
    left out (a table row is read across on purpose), and so are short blocks (a label
    beside its value).
    """
    in_table: set[int] = set()
    for n in tree.walk():
        if n.std_role in ("Table", "Figure", "Form"):
            in_table.update(id(d) for d in n.walk())
    by_page: dict[int, list[tuple[float, float, Node]]] = {}
    for n in _leaf_blocks(tree):
        if id(n) in in_table or n.std_role == "Lbl" or len(n.text().strip()) < 30:
            continue
        first = next((k for k in n.kids if isinstance(k, MarkedText) and k.pos is not None), None)
        if first is None:
            continue
        by_page.setdefault(first.page, []).append((first.pos[0], first.pos[1], n))  # type: ignore[index]
    out = []
    for page, blocks in by_page.items():
        width = report.page_sizes[page][0] if page < len(report.page_sizes) else 600.0
        gap = width / 5
        xs = sorted({round(b[0]) for b in blocks})
        cols: list[float] = []
        for x in xs:
            if not cols or x - cols[-1] > gap:
                cols.append(x)

        def col(x: float, cols: list[float] = cols) -> int:
            return max(i for i, c in enumerate(cols) if x >= c - 1)

        if len(cols) < 2:
            continue
        for i in range(1, len(blocks)):
            a, b = col(blocks[i - 1][0]), col(blocks[i][0])
            if a == b:
                continue
            y_b = blocks[i][1]
            if any(col(x) == a and y >= y_b - 2 for x, y, _ in blocks[i + 1 :]):
                where = places.at(blocks[i][2])
                out.append(
                    Finding(
                        "column-jump",
                        WARNING,
                        CHECK_TEXT["column-jump"],
                        "Fix the reading order (tag order) so each column is read to its end "
                        "before the next, e.g. in Acrobat's Reading Order tool or the source document.",
                        **where,
                    )
                )
                break  # one per page points at the problem
    return out


def _check_unclaimed(report: PdfReport) -> list[Finding]:
    out = []
    for page, mcid in report.unclaimed:
        text = report.unclaimed_text.get((page, mcid), "")
        if not text.strip():
            continue
        out.append(
            Finding(
                "unread-content",
                WARNING,
                CHECK_TEXT["unread-content"],
                "Re-tag the page so the text belongs to a paragraph, heading or other element "
                "(or mark it as decoration if it is one).",
                page=page + 1,
                excerpt=clip(text),
            )
        )
    return out


# --- the reading order, as announced ----------------------------------------------------


def _announce(n: Node) -> str | None:
    r = n.std_role
    m = _HEADING.fullmatch(r)
    if m:
        return f"heading level {m.group(1)}"
    if r == "H":
        return "heading"
    if r == "L":
        count = len([k for k in n.elements if k.std_role == "LI"])
        return f"list, {count} item{'' if count == 1 else 's'}"
    if r == "Table":
        rows = [d for d in n.walk() if d.std_role == "TR"]
        cols = max((len([c for c in row.elements if c.std_role in ("TH", "TD")]) for row in rows), default=0)
        return f"table, {len(rows)} rows, {cols} columns"
    if r == "Figure":
        return "graphic"
    if r == "Link":
        return "link"
    if r == "TH":
        return "column header" if n.attrs.get("Scope") != "Row" else "row header"
    if r == "Caption":
        return "caption"
    if r == "Note":
        return "note"
    if r in ("Aside", "Div") and n.role == "Aside":
        return "complementary"
    if r == "Form":
        return "form field"
    if r == "Formula":
        return "formula"
    return None


def reading_order(tree: Node | None, places: _Places | None = None) -> list[Spoken]:
    """What a screen reader reads, in order: containers announced, then their text."""
    if tree is None:
        return []
    out: list[Spoken] = []

    def page(n: Node) -> int | None:
        return places.page_of(n) if places is not None else None

    def visit(n: Node, depth: int) -> None:
        role = _announce(n)
        if n.std_role == "Figure":
            text = n.alt or n.actual_text or ""
            out.append(
                Spoken(page(n), depth, "graphic", text if text else "(no alt text: skipped or 'image')")
            )
            return
        if n.std_role == "LI" and not any(d.std_role == "L" for d in n.walk()):
            out.append(Spoken(page(n), depth, "", clip(n.text(), 10_000)))
            return
        if n.std_role in _BLOCK or (n.std_role == "Link" and not n.elements):
            text = clip(n.text(), 10_000)
            if text or role:
                out.append(Spoken(page(n), depth, role or "", text))
            return
        if role is not None:
            out.append(Spoken(page(n), depth, role, ""))
            depth += 1
        own = clip("".join(k.text for k in n.kids if isinstance(k, MarkedText)), 10_000)
        if own:
            out.append(Spoken(page(n), depth, "", own))
        for k in n.elements:
            visit(k, depth)

    for k in tree.elements:
        visit(k, 0)
    return out


# --- the whole audit --------------------------------------------------------------------


def audit_pdf(path: str | Path, *, width: int | None = 100) -> AuditResult:
    """Audit one PDF. Raises ``NotAPdfError`` or ``EncryptedPdfError`` for what cannot be read."""
    start = time.perf_counter()
    report = inspect_pdf(path)
    places = _Places(report)
    findings: list[Finding] = []
    checker, rules, compliant = None, 0, False
    try:
        checks = run_rule_checks(path)
    except Exception as exc:  # page-validation could not parse what pypdf could
        checks = None
        findings.append(
            Finding(
                "unreadable-by-checker",
                ERROR,
                "The PDF/UA-1 checker could not read this file, so it cannot be called accessible.",
                "Export or save the PDF again; if the problem stays, the file is damaged.",
                detail=str(exc),
            )
        )
        for p in basic_problems(report):
            findings.append(Finding("basic", ERROR, p[0].upper() + p[1:] + ".", "See the message."))
    flagged_headings: set[int] = set()
    if checks is not None:
        checker, rules, compliant = checks.checker, checks.rules, checks.compliant
        for fail in checks.failures:
            message, fix = explain_rule(fail.rule_id)
            f = Finding(fail.rule_id, ERROR, message, fix, detail=fail.message)
            places.locate(f, fail.object_id)
            if fail.rule_id == "PDFUA1-CONTENT-TAGGING-001" and f.excerpt is None:
                loose = [u for u in report.untagged if f.page is None or u.page + 1 == f.page]
                texts = [u.text for u in loose if u.kind == "text" and u.text.strip()]
                if texts:
                    f.excerpt = clip(" ".join(texts))
                elif loose:
                    f.excerpt = f"({loose[0].kind})"
                f.page = f.page or (loose[0].page + 1 if loose else None)
            if fail.rule_id == "PDFUA1-HEADING-NESTING-001" and fail.object_id in places.by_obj:
                flagged_headings.add(id(places.by_obj[fail.object_id]))
            findings.append(f)
    findings += _check_unclaimed(report)
    if report.tree is not None:
        tree = report.tree
        findings += _check_glued(places, tree)
        findings += _check_scripts(places, tree, report.lang)
        findings += _check_columns(places, tree, report)
        findings += _check_headings(places, tree, flagged_headings)
        findings += _check_links(places, tree)
        findings += _check_alt(places, tree)
    return AuditResult(
        file=str(path),
        pages=report.pages,
        title=report.title,
        title_shown=report.display_doc_title,
        lang=report.lang,
        tagged=report.tree is not None,
        encrypted=report.encrypted,
        fonts=[
            {"name": f.name, "type": f.subtype, "embedded": f.embedded, "unicode": f.to_unicode}
            for f in report.fonts
        ],
        checker=checker,
        rules=rules,
        compliant=compliant and checks is not None,
        findings=findings,
        outline=outline(report.tree, width=width) if report.tree is not None else [],
        reading=reading_order(report.tree, places),
        seconds=time.perf_counter() - start,
        page_sizes=report.page_sizes,
    )
