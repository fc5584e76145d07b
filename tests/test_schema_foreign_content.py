"""Foreign markup in the shipped RELAX NG schemas: what a feed may carry in namespaces the
formats do not define (feedwright's own attribution records among it), whatever it holds.

The schemas write "any content" as `mixed` (any attributes, then text and elements in any
order), where the RELAX NG tutorial writes a repeated choice of attribute, text and element:
the same language, and libxml2 checks the mixed form faster (a 10,000-entry RSS document:
1.18 -> 1.01 s). Both forms are compiled here from the shipped files and must give the same
verdict on every generated document, valid or not."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedwright.validate import validate_document
from feedwright.validate.xmlcommon import parser, relaxng

ANY_CONTENT_MIXED = """<zeroOrMore><attribute><anyName/></attribute></zeroOrMore>
    <mixed><zeroOrMore><ref name="anyElement"/></zeroOrMore></mixed>"""
ANY_CONTENT_TUTORIAL = """<zeroOrMore>
      <choice>
        <attribute><anyName/></attribute>
        <text/>
        <ref name="anyElement"/>
      </choice>
    </zeroOrMore>"""


@cache
def tutorial_form(name: str) -> etree.RelaxNG:
    """The shipped schema with each `mixed` wildcard written as the tutorial writes it."""
    source = resources.files("feedwright.validate").joinpath(f"schemas/{name}").read_text()
    assert ANY_CONTENT_MIXED in source, name
    source = source.replace(ANY_CONTENT_MIXED, ANY_CONTENT_TUTORIAL)
    source = re.sub(
        r'<mixed><zeroOrMore><ref name="(\w+)"/></zeroOrMore></mixed>',
        r'<zeroOrMore><choice><text/><ref name="\1"/></choice></zeroOrMore>', source)
    assert "<mixed>" not in source
    return etree.RelaxNG(etree.fromstring(source.encode(), parser()))


# Foreign markup: elements and attributes in namespaces of their own, or in a format's (which
# the schemas refuse in some places), holding text, elements, both or nothing.
NAMESPACES = {"x": "urn:example:x", "fw": "https://feedwright.dev/ns/attribution/1.0",
              "atom": "http://www.w3.org/2005/Atom", "": ""}
names = st.sampled_from(["a", "b", "credit", "link"])
prefixes = st.sampled_from(list(NAMESPACES))
text = st.text(alphabet="ab <&\n", max_size=4)


# attributes by (prefix, name): one value each, as well-formed XML has it
attributes = st.dictionaries(st.tuples(st.sampled_from(["x", "fw", ""]), names), text,
                             max_size=2)


def qualified(prefix: str, name: str) -> str:
    return f"{prefix}:{name}" if prefix else name


def element(depth: int = 2) -> st.SearchStrategy[str]:
    children = st.lists(st.one_of(text.map(escape), element(depth - 1)) if depth else
                        text.map(escape), max_size=3)
    return st.builds(
        lambda p, n, attrs, inner: (
            f"<{qualified(p, n)}"
            + "".join(f" {qualified(*key)}={quoteattr(value)}" for key, value in attrs.items())
            + f">{''.join(inner)}</{qualified(p, n)}>"),
        prefixes, names, attributes, children)


DECLARED = " ".join(f'xmlns:{p}="{uri}"' for p, uri in NAMESPACES.items() if p)

RSS = ('<rss version="2.0" {ns}><channel><title>t</title><link>https://example.test/</link>'
       "<description>d</description><item><title>i</title>{item}</item></channel></rss>")
ATOM = ('<feed xmlns="http://www.w3.org/2005/Atom" {ns}><id>urn:example:feed</id><title>t</title>'
        "<updated>2026-01-01T00:00:00Z</updated><author><name>a</name></author>"
        "<entry><id>urn:example:1</id><title>e</title><updated>2026-01-01T00:00:00Z</updated>"
        '{entry}<link href="https://example.test/1">{link}</link>'
        '<category term="c">{category}</category>'
        '<content type="application/xml">{content}</content></entry></feed>')


def verdicts(name: str, document: str) -> tuple[bool, bool]:
    tree = etree.fromstring(document.encode(), parser())
    return relaxng(name).validate(tree), tutorial_form(name).validate(tree)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(element(), max_size=3))
def test_foreign_markup_in_an_item_is_judged_as_the_tutorial_form_judges_it(
        markup: list[str]) -> None:
    shipped, tutorial = verdicts("rss.rng", RSS.format(ns=DECLARED, item="".join(markup)))
    assert shipped == tutorial


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(element(), max_size=2), st.lists(element(), max_size=2),
       st.lists(element(), max_size=2), st.lists(element(), max_size=2))
def test_foreign_markup_in_an_entry_is_judged_as_the_tutorial_form_judges_it(
        entry: list[str], link: list[str], category: list[str], content: list[str]) -> None:
    shipped, tutorial = verdicts("atom.rng", ATOM.format(
        ns=DECLARED, entry="".join(entry), link="".join(link), category="".join(category),
        content="".join(content)))
    assert shipped == tutorial


def test_any_foreign_markup_is_accepted_and_a_formats_own_namespace_is_not() -> None:
    """Both ways, so the comparisons above compare verdicts that differ: an attribution record
    of any shape passes; an element of the format's own namespace where it defines none fails."""
    record = ('<fw:attribution x:a="1"><fw:credit role="author">By <x:b fw:n="2">A</x:b> '
              "and text<fw:agent/></fw:credit>tail</fw:attribution>")
    assert verdicts("rss.rng", RSS.format(ns=DECLARED, item=record)) == (True, True)
    assert verdicts("rss.rng", RSS.format(ns=DECLARED, item="<bogus/>")) == (False, False)
    fine = ATOM.format(ns=DECLARED, entry=record, link=record, category=record, content=record)
    assert verdicts("atom.rng", fine) == (True, True)
    assert validate_document(fine.encode(), "atom").ok
    for place in ("entry", "link", "category"):
        parts = {"entry": "", "link": "", "category": "", "content": ""}
        parts[place] = "<atom:bogus/>"
        assert verdicts("atom.rng", ATOM.format(ns=DECLARED, **parts)) == (False, False), place
