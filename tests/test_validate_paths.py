"""Issue paths (validate.xmlcommon.Paths) are libxml2's getpath, counted on from entry to entry
as they stream past instead of over every earlier sibling each time: compared element by
element with getpath on the conformance documents and on generated trees of every kind of
name getpath tells apart."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feedwright.validate.xmlcommon import NS_ATOM, Paths

CONFORMANCE = Path(__file__).parent / "conformance"


def same_as_getpath(root: etree._Element, container: etree._Element | None) -> None:
    paths = Paths(root)
    paths.container = container
    tree = root.getroottree()
    for element in root.iter():  # document order, as the entries stream past
        if isinstance(element.tag, str):
            assert paths.of(element) == tree.getpath(element)


def test_every_element_of_the_conformance_documents() -> None:
    documents = sorted((CONFORMANCE / "rss").glob("*.xml")) + \
        sorted((CONFORMANCE / "atom").glob("*.xml"))
    assert len(documents) > 50
    for path in documents:
        try:
            root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
        except etree.XMLSyntaxError:
            continue  # (the not well-formed cases)
        container = root.find("channel") if root.tag == "rss" else root
        same_as_getpath(root, container)


#: Children as getpath tells them apart: no namespace, a prefixed one (two prefixes, one of
#: them also bound to a second namespace further down), a default namespace; and comments.
CHILD = st.sampled_from([
    "item", "title", "{urn:a}item", "{urn:b}item", f"{{{NS_ATOM}}}entry", "{urn:a}title",
    "comment"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CHILD, st.lists(CHILD, max_size=6)), max_size=14))
def test_generated_trees(children: list[tuple[str, list[str]]]) -> None:
    root = etree.Element("rss", nsmap={"a": "urn:a", "b": "urn:b"})
    container = etree.SubElement(root, "channel", nsmap={None: NS_ATOM})
    etree.SubElement(root, "after")

    def add(parent: etree._Element, tag: str) -> etree._Element:
        if tag == "comment":
            parent.append(etree.Comment("c"))
            return parent
        return etree.SubElement(parent, tag, nsmap={"a": "urn:b"} if tag == "{urn:b}item"
                                else None)

    for tag, inner in children:
        child = add(container, tag)
        for inner_tag in inner:
            add(child, inner_tag)
    same_as_getpath(root, container)


def test_an_element_asked_for_out_of_order_changes_no_later_answer() -> None:
    """An element before the last entry asked for (a channel element after the items, say)
    is getpath's; the entries after it are still counted right (the walk that found nothing
    had kept its counts: item[2] came out as item[1999992])."""
    root = etree.fromstring("<rss><channel><title>t</title>" + "<item><guid>g</guid></item>" * 6
                            + "<docs>d</docs></channel></rss>")
    container = root[0]
    paths = Paths(root)
    paths.container = container
    tree = root.getroottree()
    items = container.findall("item")
    for n, item in enumerate(items):
        assert paths.of(item[0]) == tree.getpath(item[0])
        if n:  # one before the last: a miss, after which the next is still counted right
            assert paths.of(items[n - 1][0]) == tree.getpath(items[n - 1][0])
    assert paths.of(container[-1]) == tree.getpath(container[-1])  # after every item
