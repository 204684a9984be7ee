"""Every fixed label's key, its English text and a note for translators: the source of
``leafwright.pot`` (``python -m leafwright.i18n`` writes it) and of English leaflets' labels,
which need no catalogue read (so an English build never imports Babel)."""

from __future__ import annotations

#: key: (English text, where it is printed and what its placeholders are)
ENGLISH: dict[str, tuple[str, str]] = {
    "key_points": (
        "Key points",
        "Heading of the box of key points at the top of the leaflet.",
    ),
    "booklet_from": (
        "From the booklet: {title}",
        "Heading of the box naming the booklet this leaflet is a section of. {title} is the booklet's title.",
    ),
    "booklet_contents": (
        "This leaflet is one section of the booklet. Its contents:",
        "Sentence before the booklet's table of contents.",
    ),
    "booklet_this_section": (
        "{entry} (this section)",
        "The contents entry that is this leaflet. {entry} is the entry's text.",
    ),
    "contact": (
        "Contact {organisation}",
        "Heading of the contact panel. {organisation} is the publisher's name.",
    ),
    "helpline": (
        "Helpline",
        "Label before the helpline number when the leaflet gives the line no name of its own.",
    ),
    "telephone": (
        "Telephone",
        "Label before the publisher's telephone number.",
    ),
    "email": (
        "Email",
        "Label before the publisher's email address.",
    ),
    "website": (
        "Website",
        "Label before the publisher's web address.",
    ),
    "read_online": (
        "Read this leaflet online",
        "Label beside the QR code and the leaflet's web address.",
    ),
    "qr_alt": (
        "QR code: scan it to open this leaflet online at {url}",
        "Alternative text of the QR code, read by screen readers. {url} is the web address.",
    ),
    "logo_alt": (
        "{organisation} logo",
        "Alternative text of the logo. {organisation} is the publisher's name.",
    ),
    "logo_alt_unnamed": (
        "Logo",
        "Alternative text of a logo when no organisation is named.",
    ),
    "about": (
        "About this information",
        "Heading of the section with version, dates, authors and sources.",
    ),
    "version": (
        "Version",
        "Label before the leaflet's version number.",
    ),
    "published": (
        "Published",
        "Label before the publication date.",
    ),
    "review_due": (
        "Next review due",
        "Label before the date the leaflet is next reviewed.",
    ),
    "change_note": (
        "What changed in this version",
        "Label before the note of what changed.",
    ),
    "written_by": (
        "Written by",
        "Label before the authors' names.",
    ),
    "reviewed_by": (
        "Reviewed by",
        "Label before the reviewers' names.",
    ),
    "acknowledgements": (
        "Acknowledgements",
        "Sub-heading.",
    ),
    "sources": (
        "Sources",
        "Sub-heading of the list of references.",
    ),
    "feedback": (
        "Tell us what you think",
        "Sub-heading of how to give feedback.",
    ),
    "disclaimer": (
        "Disclaimer",
        "Sub-heading.",
    ),
    "callout_info": (
        "Information",
        "Label of an information box.",
    ),
    "callout_warning": (
        "Warning",
        "Label of a warning box.",
    ),
    "callout_note": (
        "Note",
        "Label of a note box.",
    ),
    "field": (
        "{label}:",
        "How a label introduces a value ('Version: 1.0'). {label} is the label; "
        "use your language's punctuation.",
    ),
    "page_of": (
        "Page {page} of {total}",
        "Page number in the footer. {total} must come last: it is filled in when the page count is known.",
    ),
    "footer": (
        "{organisation} · Version {version} · Published {published} · Review by {review_by}",
        "Footer of every page. Parts between ' · ' whose value the leaflet does not state are left out.",
    ),
    "draft_mark": (
        "DRAFT — not for distribution",
        "Watermark across every page of a draft.",
    ),
    "skip_link": (
        "Skip to the leaflet",
        "Web page: link to jump past the header to the leaflet.",
    ),
    "other_editions": (
        "Other editions of this leaflet",
        "Web page: name of the navigation to the other formats and languages (read by screen readers).",
    ),
    "download_intro": (
        "This leaflet as a file to download or print:",
        "Web page: sentence before the links to the PDF files.",
    ),
    "other_languages": (
        "This leaflet in other languages:",
        "Web page: sentence before the links to the translations.",
    ),
    "this_leaflet_in": (
        "This leaflet in:",
        "Before the list of languages this leaflet is in ('This leaflet in: Cymraeg · Polski').",
    ),
    "edition_standard": (
        "PDF",
        "Web page: link to the standard PDF.",
    ),
    "edition_standard_note": (
        "for printing at home",
        "Web page: said after the link to the standard PDF, in brackets.",
    ),
    "edition_large_print": (
        "Large print PDF",
        "Web page: link to the large-print PDF.",
    ),
    "edition_large_print_note": (
        "18 point text",
        "Web page: said after the link to the large-print PDF, in brackets.",
    ),
    "edition_booklet": (
        "A5 booklet PDF",
        "Web page: link to the A5 booklet PDF.",
    ),
}
