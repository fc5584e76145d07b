"""Text out of XML elements, the way every part of the RSS and Atom readers takes it."""

from __future__ import annotations

from lxml import etree

from feedwright.normalise.text import clean_line


def element_text(element: etree._Element | None, clean: bool = True) -> str:
    """All the text inside an element: one clean line, or (clean=False) as written, trimmed."""
    if element is None:
        return ""
    text = "".join(str(t) for t in element.itertext())
    return clean_line(" ".join(text.split())) if clean else text.strip()


def first_text(scopes: list[etree._Element | None], tag: str) -> str:
    """The text of the first `tag` child that has some, looking in each scope in turn."""
    for scope in scopes:
        if scope is not None:
            found = scope.find(tag)
            if found is not None and element_text(found):
                return element_text(found)
    return ""
