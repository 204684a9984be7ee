"""The web edition: each leaflet as an accessible HTML page (see :mod:`.edition`), and the
pieces it is made of: inline text as escaped HTML (:mod:`.markup`), one renderer per block
type (:mod:`.blocks`), fonts and pictures beside the page (:mod:`.assets`)."""

from .edition import EditionLink, LanguageLink, WebEdition, WebOptions, page_name, render_web

__all__ = ["EditionLink", "LanguageLink", "WebEdition", "WebOptions", "page_name", "render_web"]
