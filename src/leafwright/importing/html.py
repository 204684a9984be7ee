"""HTML → leaflet content: the one converter that Word and Markdown imports also go through.

Word documents (via mammoth) and Markdown (via markdown-it-py) are first turned into
HTML; this module reads that HTML with BeautifulSoup and builds the leaflet's title and
sections. The rules, in the order a reader meets them:

* the title is the document's own title (Word's Title property, HTML ``<title>``), else
  its first heading; the first heading is dropped when it repeats the title;
* the shallowest remaining heading level becomes sections, deeper ones sub-sections;
* a heading ending in "?" with no sub-headings of its own, below section level, becomes
  an FAQ question, answered by what follows it; so do paragraphs starting "Q:" (answered
  by the paragraphs after them, an "A:" prefix dropped);
* paragraphs keep bold, italics (as emphasis), line breaks and http(s)/mailto/tel links;
* bulleted and numbered lists, and paragraphs numbered or bulleted by hand ("1.", "•"),
  become lists; nested lists are flattened into their parent;
* a table keeps its first row (or its ``<th>`` row) as the header; a one-cell table, a
  ``<blockquote>`` or an ``<aside>`` (Word: a shaded or boxed paragraph) becomes a callout;
* pictures become image blocks with their alt text, or a TODO where there is none.

Nothing is fetched: a picture on the web is left as a TODO note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment

from ..model import LINK_SCHEMES

#: what an image reference resolves to: (bytes, suggested suffix) or None with a reason
ImageLoader = Callable[[str], "tuple[bytes, str] | str"]

_CONTAINERS = {
    "body", "div", "section", "article", "main", "header", "footer", "center", "span", "font",
    "html", "figure", "form",
}  # fmt: skip
_SKIP = {"head", "script", "style", "nav", "template", "noscript", "title", "meta", "link", "del", "s"}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BULLET = re.compile(r"^\s*[•·▪◦‣●○■□➢►✓✔–—\-*]\s+(?=\S)")
_NUMBER = re.compile(r"^\s*\(?(\d{1,3}|[a-z])[.)]\s+(?=\S)")
_QUESTION = re.compile(r"^\s*(?:\*\*)?(?:Q|Question)\s*[:.](?:\*\*)?\s*", re.I)
_ANSWER = re.compile(r"^\s*(?:\*\*)?(?:A|Answer)\s*[:.](?:\*\*)?\s*", re.I)
_ESCAPE = re.compile(r"([\\*\[\]])")


@dataclass
class Picture:
    """An extracted picture: its bytes, its file suffix and alt text (None when the document had none)."""

    data: bytes
    suffix: str
    alt: str | None


@dataclass
class Converted:
    """What the converter found: a title, sections as plain data, pictures and notes for the reader."""

    title: str | None
    sections: list[dict[str, Any]]
    pictures: list[Picture] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Item:
    kind: str  # heading | block | question | qa-q | qa-a
    level: int = 0
    text: str = ""
    block: dict[str, Any] | None = None


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _plain(node: Tag | NavigableString) -> str:
    """The text of a node with whitespace collapsed (for headings, questions, alt text)."""
    text = node.get_text(" ") if isinstance(node, Tag) else str(node)
    return re.sub(r"\s+", " ", text).strip()


def _link_ok(href: str) -> bool:
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    return scheme in LINK_SCHEMES and not any(c.isspace() for c in href)


class _Inline:
    """Inline markup of one element as leaflet text, collecting pictures met on the way."""

    def __init__(self, converter: _Converter) -> None:
        self.conv = converter

    def text(self, node: Tag) -> str:
        out = self._children(node, bold=False, italic=False)
        lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in out.split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(ln for ln in lines if ln)

    def _children(self, node: Tag, bold: bool, italic: bool) -> str:
        return "".join(self._node(c, bold, italic) for c in node.children)

    def _node(self, node: Any, bold: bool, italic: bool) -> str:
        if isinstance(node, Comment):
            return ""
        if isinstance(node, NavigableString):
            return _escape(re.sub(r"\s+", " ", str(node)))
        if not isinstance(node, Tag) or node.name in _SKIP:
            return ""
        name = node.name
        if name == "br":
            return "\n"
        if name == "img":
            self.conv.picture(node)
            return ""
        if name in ("ul", "ol", "table"):
            return ""  # handled as blocks by the caller
        if name in ("strong", "b") and not bold:
            return _wrap(self._children(node, True, italic), "**")
        if name in ("em", "i") and not italic:
            return _wrap(self._children(node, bold, True), "*")
        if name == "a":
            inner = self._children(node, bold, italic)
            href = str(node.get("href") or "").strip()
            if href and _link_ok(href) and inner.strip():
                label = re.sub(r"\s+", " ", inner.replace("\n", " ")).strip().replace("\\[", "(")
                label = label.replace("\\]", ")")
                url = href.replace(")", "%29").replace("(", "%28")
                return f"[{label}]({url})"
            return inner
        return self._children(node, bold, italic)


def _wrap(inner: str, marker: str) -> str:
    """Put emphasis markers round the words, leaving the spaces outside them."""
    if not inner.strip():
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    core = inner.strip()
    if "\n" in core:  # emphasis cannot cross a line break: mark each line
        return lead + "\n".join(_wrap(p, marker) for p in core.split("\n")) + trail
    return f"{lead}{marker}{core}{marker}{trail}"


class _Converter:
    def __init__(self, load_image: ImageLoader) -> None:
        self.load_image = load_image
        self.items: list[_Item] = []
        self.pictures: list[Picture] = []
        self.notes: list[str] = []
        self.inline = _Inline(self)
        self._pending_images: list[dict[str, Any]] = []

    # -- pictures --------------------------------------------------------------------

    def picture(self, img: Tag) -> None:
        """Queue an image block for ``img`` (emitted after the text it sits in)."""
        src = str(img.get("src") or "").strip()
        alt = _plain(NavigableString(str(img.get("alt") or ""))) or None
        loaded = self.load_image(src) if src else "it has no source"
        if isinstance(loaded, str):
            what = f"'{alt}'" if alt else (src[:60] or "a picture")
            self.notes.append(f"picture {what} was not imported: {loaded}")
            return
        data, suffix = loaded
        self.pictures.append(Picture(data, suffix, alt))
        self._pending_images.append({"image": {"picture": len(self.pictures) - 1}})

    def flush_images(self) -> None:
        for block in self._pending_images:
            self.items.append(_Item("block", block=block))
        self._pending_images = []

    # -- blocks ----------------------------------------------------------------------

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                text = re.sub(r"\s+", " ", str(child)).strip()
                if text:
                    self.paragraph_text(_escape(text))
                continue
            if not isinstance(child, Tag) or child.name in _SKIP:
                continue
            self.element(child)
            self.flush_images()

    def element(self, el: Tag) -> None:
        name = el.name
        if name in _HEADINGS:
            text = _plain(el)
            for img in el.find_all("img"):
                self.picture(img)
            if text:
                self.items.append(_Item("heading", level=_HEADINGS[name], text=text))
        elif name == "p" or name == "pre" or name == "dt" or name == "dd" or name == "address":
            if name == "pre":
                text = "\n".join(_escape(ln.strip()) for ln in el.get_text().split("\n") if ln.strip())
            else:
                text = self.inline.text(el)
            if name == "dt" and text:
                text = _wrap(text, "**")
            self.paragraph_text(text)
            for sub in el.find_all(["ul", "ol", "table"], recursive=False):
                self.element(sub)
        elif name in ("ul", "ol"):
            items = self.list_items(el)
            if items:
                self.add_block({"numbered" if name == "ol" else "bullets": items})
        elif name == "table":
            self.table(el)
        elif name in ("blockquote", "aside"):
            self.callout(el)
        elif name == "img":
            self.picture(el)
        elif name == "hr":
            pass
        elif name in ("dl",) or name in _CONTAINERS:
            self.walk(el)
        else:
            self.walk(el)

    def add_block(self, block: dict[str, Any]) -> None:
        self.items.append(_Item("block", block=block))

    def paragraph_text(self, text: str) -> None:
        if not text.strip():
            return
        q = _QUESTION.match(text)
        if q:
            self.items.append(_Item("qa-q", text=_unescape(text[q.end() :]).strip()))
            return
        a = _ANSWER.match(text)
        if a:
            text = text[a.end() :].strip()
            if not text:
                return
        m = _BULLET.match(text)
        kind = "bullets"
        if not m:
            m = _NUMBER.match(text)
            kind = "numbered"
        if m:
            item = _list_item(text[m.end() :].strip())
            last = self.items[-1] if self.items else None
            if (
                last
                and last.kind == "block"
                and last.block
                and kind in last.block
                and last.block.get("_manual")
            ):
                last.block[kind].append(item)
            else:
                self.add_block({kind: [item], "_manual": True})
            return
        self.add_block({"paragraph": text})

    def list_items(self, el: Tag) -> list[Any]:
        out: list[Any] = []
        for li in el.find_all("li", recursive=False):
            text = self.inline.text(li)
            if text:
                out.append(_list_item(text.replace("\n", " ")))
            for sub in li.find_all(["ul", "ol"], recursive=False):
                out.extend(self.list_items(sub))
            for p in li.find_all("p", recursive=False):
                # mammoth and Markdown put loose list items' text in <p>
                for sub in p.find_all(["ul", "ol"], recursive=False):
                    out.extend(self.list_items(sub))
        return out

    def _rows(self, table: Tag) -> list[Tag]:
        rows: list[Tag] = []
        for part in [table, *table.find_all(["thead", "tbody", "tfoot"], recursive=False)]:
            rows.extend(part.find_all("tr", recursive=False))
        return rows

    def _cell(self, cell: Tag) -> str:
        paras = cell.find_all(["p", "li"]) or [cell]
        texts = [self.inline.text(p) for p in paras]
        return " ".join(t.replace("\n", " ") for t in texts if t)

    def table(self, table: Tag) -> None:
        rows = self._rows(table)
        cells = [r.find_all(["td", "th"], recursive=False) for r in rows]
        cells = [c for c in cells if c]
        if not cells:
            return
        if len(cells) == 1 and len(cells[0]) == 1:
            self.callout(cells[0][0])  # a one-cell table is a box drawn round some text
            return
        header_at = next((i for i, r in enumerate(cells) if all(c.name == "th" for c in r)), 0)
        grid = [[self._cell(c) for c in r for _ in range(int(str(c.get("colspan") or 1)))] for r in cells]
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        caption_el = table.find("caption")
        block: dict[str, Any] = {}
        if caption_el is not None and _plain(caption_el):
            block["caption"] = _plain(caption_el)
        block["header"] = grid[header_at]
        block["rows"] = grid[header_at + 1 :]
        if not block["rows"]:
            # a one-row table has no header: its cells become a paragraph each
            for text in grid[header_at]:
                self.paragraph_text(text)
            return
        self.add_block({"table": block})

    def callout(self, box: Tag) -> None:
        paras = [self.inline.text(p) for p in box.find_all(["p", "li"])] or [self.inline.text(box)]
        paras = [p for p in paras if p]
        if not paras:
            return
        title = None
        if len(paras) > 1 and re.fullmatch(r"\*\*[^*]+\*\*", paras[0]):
            title = _unescape(paras.pop(0)[2:-2])
        first = _unescape(title or paras[0]).lower()
        kind = "info"
        if re.match(r"(warning|important|caution|danger|do not|don't|never|urgent|seek)", first):
            kind = "warning"
        elif re.match(r"(note|remember|tip)\b", first):
            kind = "note"
        callout: dict[str, Any] = {"kind": kind}
        if title:
            callout["title"] = title
        callout["text"] = "\n\n".join(paras)
        self.add_block({"callout": callout})


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _list_item(text: str) -> Any:
    """A list item: text, or {lead, text} when it starts with a bold lead-in ending in ':'."""
    m = re.match(r"^\*\*([^*]+:)\*\*\s+(\S.*)$", text, re.S)
    if m:
        return {"lead": _unescape(m.group(1)), "text": m.group(2)}
    return text


# -- assembling sections ----------------------------------------------------------------


def _assemble(items: list[_Item], notes: list[str]) -> list[dict[str, Any]]:
    """Headings and blocks into nested sections, questions into FAQ blocks."""
    items = _merge_qa(items)
    levels = sorted({it.level for it in items if it.kind == "heading"})
    base = levels[0] if levels else 1
    root: dict[str, Any] = {"sections": []}
    stack: list[tuple[int, dict[str, Any]]] = []  # (depth, section)
    preamble: list[dict[str, Any]] = []

    # a heading ending in '?' below section level, with no sub-headings, is a question
    question_at: set[int] = set()
    for i, it in enumerate(items):
        if it.kind != "heading" or it.level == base or not it.text.endswith("?"):
            continue
        nxt = next((j for j in range(i + 1, len(items)) if items[j].kind == "heading"), None)
        if nxt is None or items[nxt].level <= it.level:
            question_at.add(i)

    i = 0
    while i < len(items):
        it = items[i]
        if it.kind == "heading" and i in question_at:
            answer: list[dict[str, Any]] = []
            j = i + 1
            while j < len(items) and items[j].kind != "heading":
                if items[j].kind == "block" and items[j].block is not None:
                    answer.append(items[j].block)  # type: ignore[arg-type]
                j += 1
            target = stack[-1][1]["blocks"] if stack else preamble
            _add_question(target, it.text, answer, notes)
            i = j
            continue
        if it.kind == "heading":
            depth = it.level - base
            while stack and stack[-1][0] >= depth:
                stack.pop()
            depth = stack[-1][0] + 1 if stack else 0  # never skip a level
            sec: dict[str, Any] = {"heading": it.text, "blocks": [], "sections": []}
            (stack[-1][1]["sections"] if stack else root["sections"]).append(sec)
            stack.append((depth, sec))
        elif it.kind == "faq" and it.block is not None:
            target = stack[-1][1]["blocks"] if stack else preamble
            for entry in it.block["faq"]:
                _add_question(target, entry["question"], entry["answer"], notes)
        elif it.block is not None:
            (stack[-1][1]["blocks"] if stack else preamble).append(it.block)
        i += 1

    if preamble:
        root["sections"].insert(0, {"heading": "About this leaflet", "blocks": preamble, "sections": []})
        notes.append(
            "the document had text before its first heading: it is in a first section headed "
            "'About this leaflet' (change the heading)"
        )
    return _tidy(root["sections"], notes)


def _merge_qa(items: list[_Item]) -> list[_Item]:
    """'Q:' paragraphs and what follows them up to the next question or heading into FAQ items."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        if items[i].kind != "qa-q":
            out.append(items[i])
            i += 1
            continue
        entries = []
        while i < len(items) and items[i].kind == "qa-q":
            question = items[i].text
            i += 1
            answer = []
            while i < len(items) and items[i].kind == "block":
                answer.append(items[i].block)
                i += 1
            entries.append({"question": question, "answer": answer})
        out.append(_Item("faq", block={"faq": entries}))
    return out


def _add_question(target: list[dict[str, Any]], question: str, answer: list[Any], notes: list[str]) -> None:
    """Append a question to the FAQ block at the end of ``target`` (or start one)."""
    inner = [b for b in answer if "image" not in b and "faq" not in b]
    after = [b for b in answer if "image" in b]
    if not inner:
        notes.append(f"the question '{question}' had no answer under it: write one")
        inner = [{"paragraph": "TODO: the answer"}]
    if all("paragraph" in b for b in inner):
        value: Any = "\n\n".join(b["paragraph"] for b in inner)
    else:
        value = [{k: v for k, v in b.items() if k != "_manual"} for b in inner]
    if target and "faq" in target[-1]:
        target[-1]["faq"].append({"question": question, "answer": value})
    else:
        target.append({"faq": [{"question": question, "answer": value}]})
    target.extend(after)


def _tidy(sections: list[dict[str, Any]], notes: list[str]) -> list[dict[str, Any]]:
    """Drop helper keys, empty lists and sections with nothing in them (noted)."""
    out = []
    for sec in sections:
        sec["sections"] = _tidy(sec["sections"], notes)
        sec["blocks"] = [{k: v for k, v in b.items() if k != "_manual"} for b in sec["blocks"]]
        if not sec["blocks"] and not sec["sections"]:
            notes.append(f"the heading '{sec['heading']}' had nothing under it and was left out")
            continue
        if not sec["sections"]:
            del sec["sections"]
        if not sec["blocks"]:
            del sec["blocks"]
        out.append(sec)
    return out


def convert_html(html: str, load_image: ImageLoader, *, title: str | None = None) -> Converted:
    """Convert an HTML document (or fragment) into a title, sections, pictures and notes."""
    soup = BeautifulSoup(html, "html.parser")
    if title is None and soup.title is not None:
        title = _plain(soup.title) or None
    conv = _Converter(load_image)
    conv.walk(soup.body or soup)
    conv.flush_images()
    items = conv.items
    # the first heading is the title when the document has no title of its own, and is
    # dropped when it repeats the title
    first = next((i for i, it in enumerate(items) if it.kind == "heading"), None)
    if first is not None:
        head = items[first]
        only_one_h1 = sum(1 for it in items if it.kind == "heading" and it.level == head.level) == 1
        if title is None and (only_one_h1 or head.level == 1):
            title = head.text
            del items[first]
        elif title is not None and head.text.strip().lower() == title.strip().lower():
            del items[first]
    notes = conv.notes
    sections = _assemble(items, notes)
    return Converted(title, sections, conv.pictures, notes)
