"""Markdown → HTML with markdown-it-py (CommonMark, with tables)."""

from __future__ import annotations


def markdown_to_html(text: str) -> str:
    """CommonMark plus GitHub-style tables; raw HTML in the Markdown is kept out."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return md.render(text)
