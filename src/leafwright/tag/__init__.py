"""Stage 5: tagging -- the structure tree, and a canvas that marks what it draws.

Layout builds a tree of :class:`StructElem` in reading order before anything is
drawn (:mod:`.tree`, plain data); every flowable holds the element it belongs to.
While drawing, the :class:`TaggingCanvas` (:mod:`.canvas`, the hooks declared in
:class:`TaggingHooks`) marks each piece of real content and page furniture and
records where it landed. At save time :mod:`.writer` turns that record into the
tree's objects (``StructTreeRoot``, ``ParentTree``, ``RoleMap``, §14.7.2-14.7.4),
the catalog entries PDF/UA-1 asks for (``MarkInfo``, ``Lang``,
``ViewerPreferences``, ``Metadata``) and ``/StructParents`` and ``/Tabs /S`` on
each page.
"""

from __future__ import annotations

from .canvas import TOTAL_PAGES_FORM, PlainCanvas, TaggingCanvas, TaggingHooks
from .tree import MCR, OBJR, ROLE_MAP, DocMeta, StructElem, TagTree
from .writer import write_metadata, write_structure, xmp_packet

__all__ = [
    "MCR",
    "OBJR",
    "ROLE_MAP",
    "TOTAL_PAGES_FORM",
    "DocMeta",
    "PlainCanvas",
    "StructElem",
    "TagTree",
    "TaggingCanvas",
    "TaggingHooks",
    "write_metadata",
    "write_structure",
    "xmp_packet",
]
