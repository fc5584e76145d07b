"""The rule registry: every rule id the validator can raise, with its severity and formats.

Rule ids are stable: scripts filter on them and the conformance suite is keyed by them. A rule
is an error when the document breaks its specification or will be misread by real clients, and
a warning when it is legal but likely to go wrong; a correct feedwright feed raises neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedwright.validate.report import Issue, Severity

# Formats a rule can apply to; "cross" marks the rules of `cross_check`.
RSS, ATOM, JSON, UNKNOWN, CROSS = "rss", "atom", "json", "unknown", "cross"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    formats: tuple[str, ...]
    description: str


_RULES = (
    # Reading the document.
    Rule("format-unknown", "error", (UNKNOWN,),
         "The document is not RSS 2.0, Atom 1.0 or JSON Feed, or not the format asked for."),
    Rule("xml-wellformed", "error", (RSS, ATOM), "The document is not well-formed XML."),
    Rule("xml-doctype", "warning", (RSS, ATOM),
         "The document has a DOCTYPE; feed readers ignore it and its entities are not expanded."),
    Rule("json-wellformed", "error", (JSON,), "The document is not well-formed JSON."),
    # Schemas.
    Rule("rss-schema", "error", (RSS,), "The document does not match the RSS 2.0 schema."),
    Rule("rss-version", "error", (RSS,),
         "The rss element has no version attribute (W3C: MissingAttribute), or an empty one."),
    Rule("rss-version-other", "warning", (RSS,),
         "The rss element's version is not 2.0 (0.91, 0.92, ...): accepted, and checked as "
         "RSS 2.0, which the 0.9x versions are subsets of."),
    Rule("atom-schema", "error", (ATOM,), "The document does not match the Atom 1.0 schema."),
    Rule("jsonfeed-schema", "error", (JSON,), "The document does not match the JSON Feed schema."),
    # Dates.
    Rule("rss-date-rfc822", "error", (RSS,), "An RSS date is not in RFC 822 form."),
    Rule("rss-date-calendar", "error", (RSS,),
         "An RSS date names a day or time that does not exist."),
    Rule("rss-date-weekday", "error", (RSS,), "An RSS date's weekday does not match its date."),
    Rule("rss-date-zone", "error", (RSS,),
         "An RSS date has no zone, or one RFC 822 does not define."),
    Rule("rss-date-year", "warning", (RSS,), "An RSS date has a two-digit year."),
    Rule("rss-date-no-zone", "warning", (RSS,),
         "An RSS date has no zone; readers guess one (W3C: ProblematicalRFC822Date)."),
    Rule("date-rfc3339", "error", (RSS, ATOM, JSON),
         "A date is not an RFC 3339 date-time with a zone."),
    Rule("date-order", "warning", (ATOM, JSON), "An entry was updated before it was published."),
    # URLs and ids.
    Rule("url-absolute", "error", (RSS, ATOM, JSON),
         "A URL is relative where an absolute one is needed."),
    Rule("url-wellformed", "error", (RSS, ATOM, JSON), "A URL is malformed."),
    Rule("url-host", "warning", (RSS, ATOM),
         "A URL's host name or port cannot be reached as written."),
    Rule("url-relative-reference", "warning", (RSS, ATOM),
         "An Atom link (also atom:link in RSS), icon or uri is relative with no xml:base: legal "
         "(it resolves against the document's own URL) but wrong wherever it is copied."),
    Rule("atom-id-absolute", "error", (ATOM,), "An atom:id is not an absolute IRI."),
    Rule("rss-guid-permalink", "error", (RSS,),
         "A guid is a permalink (isPermaLink absent or true) but not an http(s) URL."),
    Rule("rss-guid-missing", "warning", (RSS,),
         "An item has no guid; readers will guess its identity."),
    Rule("jsonfeed-id-string", "warning", (JSON,), "An item id is a number, not a string."),
    Rule("id-unique", "error", (RSS, JSON), "Two entries share one id."),
    Rule("atom-id-duplicate", "warning", (ATOM,),
         "Two Atom entries share one id: RFC 4287 allows it for revisions (different updated), "
         "but readers show one of them."),
    # Links.
    Rule("atom-alternate-unique", "error", (ATOM,),
         "More than one rel=alternate link with the same type and hreflang."),
    Rule("self-link-missing", "warning", (RSS, ATOM, JSON),
         "The feed does not say its own URL (atom:link rel=self, feed_url)."),
    Rule("self-link-relative", "warning", (RSS, ATOM, JSON),
         "The feed's self link is not absolute (W3C: RelativeSelf, a warning)."),
    Rule("jsonfeed-next-url", "error", (JSON,), "next_url points back to the feed itself."),
    # Entries.
    Rule("atom-entry-author", "error", (ATOM,),
         "An Atom entry has no author, and neither its source nor the feed gives one."),
    Rule("atom-entry-content-or-link", "error", (ATOM,),
         "An Atom entry has neither content nor a rel=alternate link."),
    Rule("atom-summary-required", "error", (ATOM,),
         "An Atom entry with out-of-line or base64 content has no summary."),
    Rule("rss-item-title-or-description", "error", (RSS,),
         "An RSS item has neither a title nor a description."),
    Rule("jsonfeed-deprecated-author", "warning", (JSON,),
         "A JSON Feed 1.1 document uses the 1.0 'author' object instead of 'authors'."),
    # Content.
    Rule("html-unescaped", "error", (RSS, ATOM),
         "HTML content holds raw elements instead of escaped text or CDATA."),
    Rule("html-undeclared", "warning", (ATOM, JSON),
         "Plain-text content holds HTML markup; declare it as html."),
    Rule("html-double-escaped", "warning", (RSS, ATOM, JSON),
         "HTML content is escaped twice and will show its tags as text."),
    Rule("html-script", "warning", (RSS, ATOM, JSON),
         "Content holds script, iframe, object, embed or similar active elements."),
    Rule("html-event-handler", "warning", (RSS, ATOM, JSON),
         "Content holds on* event handler attributes."),
    Rule("html-javascript-url", "warning", (RSS, ATOM, JSON),
         "Content links to javascript:, vbscript: or data:text/html URLs."),
    Rule("html-relative-url", "warning", (RSS, ATOM, JSON),
         "Content holds relative links that readers resolve differently."),
    # Values.
    Rule("language-code", "error", (RSS, ATOM, JSON),
         "A language is not a well-formed tag with a real ISO 639 language code."),
    Rule("email-syntax", "error", (RSS, ATOM), "An e-mail address is malformed."),
    Rule("mime-type", "error", (RSS, ATOM, JSON), "A MIME type is malformed."),
    Rule("mime-type-unregistered", "warning", (RSS, ATOM, JSON),
         "A MIME type's top-level type is not registered (image, audio, video, ...)."),
    Rule("media-credit-role", "error", (RSS, ATOM),
         "A media:credit role is not in the EBU / Media RSS role vocabulary."),
    Rule("media-content-url", "warning", (RSS, ATOM),
         "A media:content has neither a url nor a media:player."),
    Rule("enclosure-length", "error", (RSS, ATOM),
         "An enclosure's length is not a whole number of bytes (0 when not known), or an RSS "
         "enclosure has none."),
    Rule("enclosure-type", "error", (RSS, ATOM),
         "An enclosure's type is not a MIME type, or an RSS enclosure has none."),
    Rule("enclosure-type-missing", "warning", (ATOM,),
         "An Atom enclosure link has no type; readers cannot tell what it is before fetching."),
    Rule("media-enclosure-missing", "warning", (RSS, ATOM),
         "Media with a url are only in media:content, which many readers ignore; list them as "
         "enclosures too."),
    Rule("media-integer", "error", (RSS, ATOM),
         "A Media RSS size attribute (width, height, fileSize, channels, duration, ...) is not "
         "a number of the kind it must be."),
    Rule("media-attribute", "error", (RSS, ATOM),
         "A Media RSS medium, expression or isDefault is not one of its values, or a "
         "media:thumbnail or media:player has no url."),
    Rule("uri-iri", "error", (RSS, ATOM),
         "A URI is required but the value is an IRI with non-ASCII characters."),
    Rule("value-whitespace", "warning", (RSS, ATOM),
         "A URL, date or id has whitespace around it."),
    Rule("duplicate-element", "error", (RSS, ATOM),
         "An element that may appear once in its parent appears again."),
    Rule("duplicate-value", "error", (RSS,),
         "A value that must be unique in its list (skipHours hour, skipDays day) repeats."),
    Rule("rss-textinput", "error", (RSS,),
         "An RSS textInput lacks title, description, name or link, or its name is not a form "
         "field name."),
    Rule("atom-namespace-prefix", "warning", (ATOM,),
         "Atom elements are written under a prefix; several clients only read the default "
         "namespace."),
    Rule("rss-creator-multiple", "warning", (RSS,),
         "An item repeats dc:creator; most clients show only the first or the last name."),
    Rule("rss-pubdate-missing", "warning", (RSS,),
         "An item has atom:updated but no pubDate; most clients then show no date."),
    Rule("rss-enclosure-multiple", "warning", (RSS,),
         "An item has several enclosures; most readers take only the first."),
    # Full history: RFC 5005 archives, RFC 6721 tombstones (validate/history.py).
    Rule("archive-complete", "error", (RSS, ATOM),
         "A document is marked both an archive (fh:archive) and complete (fh:complete)."),
    Rule("archive-marker-place", "error", (RSS, ATOM),
         "fh:archive or fh:complete is inside an entry instead of the feed or channel."),
    Rule("archive-current", "warning", (RSS, ATOM, JSON),
         "An archive document has no rel=current link to its subscription document."),
    Rule("archive-next-in-subscription", "warning", (RSS, ATOM, JSON),
         "A document not marked as an archive has a next-archive link."),
    Rule("tombstone-ref", "error", (RSS, ATOM, JSON),
         "A tombstone has no ref, or one that is not an absolute IRI."),
    Rule("tombstone-when", "error", (RSS, ATOM, JSON),
         "A tombstone has no when, or one that is not an RFC 3339 date-time."),
    Rule("tombstone-live", "error", (RSS, ATOM, JSON),
         "A tombstone deletes an entry the same document still carries."),
    # One model emitted three ways.
    Rule("cross-entries", "error", (CROSS,), "The formats do not hold the same entries."),
    Rule("cross-title", "error", (CROSS,), "An entry's title differs between formats."),
    Rule("cross-link", "error", (CROSS,), "An entry's link differs between formats."),
    Rule("cross-date", "error", (CROSS,), "An entry's dates differ between formats."),
    Rule("cross-author", "error", (CROSS,), "An entry's authors differ between formats."),
    Rule("cross-enclosure", "error", (CROSS,),
         "An entry's enclosures differ between formats (RSS carries one of the others')."),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def issue(
    rule_id: str,
    message: str,
    *,
    line: int | None = None,
    column: int | None = None,
    path: str | None = None,
) -> Issue:
    """Make an Issue whose severity comes from the registry, so the two never disagree."""
    return Issue(rule_id, RULES[rule_id].severity, _shortened(message), line, column, path)


#: The longest message an issue carries: messages quote the values they are about, and a 50 MB
#: url made one line of 50 MB.
MESSAGE_MOST = 2000


def _shortened(message: str) -> str:
    """The message, its middle left out when it is over MESSAGE_MOST characters (its start
    says what is wrong, its end how to fix it)."""
    if len(message) <= MESSAGE_MOST:
        return message
    head, tail = MESSAGE_MOST * 3 // 4, MESSAGE_MOST // 8
    return (f"{message[:head]}...[{len(message) - head - tail:,} characters left out]..."
            f"{message[-tail:]}")
