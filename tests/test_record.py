"""sources.record, the one mapping from a record (a JSON export item, Markdown front matter) to
entry parts: the unusual shapes real exports use, and a clear error for each shape it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedwright.model import AgentKind, Entry, MediaKind
from feedwright.sources import ReaderOptions, Retrieved, SourceError, read

RECORDS = Path(__file__).parent / "records"
OPTIONS = ReaderOptions(timezone="Pacific/Auckland", base_url="https://news.example/")


def read_json(data: bytes, location: str = "export.json") -> tuple[Entry, ...]:
    return read(Retrieved(location=location, data=data), kind="json", options=OPTIONS)


def credits(entry: Entry) -> list[tuple[str, str, str, str, str | None]]:
    return [(c.role.value, c.agent.name, c.raw, c.target,
             c.on_behalf_of.name if c.on_behalf_of else None) for c in entry.credits]


def test_the_shapes_real_exports_use() -> None:
    ferry, rights = read_json((RECORDS / "odd-shapes.json").read_bytes())
    assert ferry.title == "Harbour ferry returns"  # the first of a repeated headline
    assert ferry.url == "https://news.example/ferry"  # mainEntityOfPage's @id
    assert ferry.summary == "42"  # a number where text was meant
    assert ferry.published is not None and ferry.published.source == "json:date"  # "" skipped
    assert (ferry.language, ferry.dateline) == ("en-NZ", "WELLINGTON")
    assert [(a.name, a.kind, a.url) for a in ferry.authors] == [
        ("Kate Green", AgentKind.PERSON, "https://news.example/kate"),
        ("Hemi Walker", AgentKind.PERSON, None), ("Aroha Smith", AgentKind.PERSON, None),
        ("Harbour News", AgentKind.ORGANIZATION, None),
    ]
    assert ferry.categories == ("Ferries", "Transport")
    assert credits(ferry)[4:] == [
        ("editor", "Desk", "Desk", "entry", "Wire Co"),
        ("photographer", "Tom Ellery", "Photo: Tom Ellery", "m9", None),
        ("contributor", "Helper", "Helper", "entry", None),  # no role: a contributor
        ("photographer", "Jo Bloggs", "(Photo: Jo Bloggs)", "m1", None),
        ("videographer", "Tom Ellery", "Tom Ellery", "m2", None),
        ("distributor", "Getty Images", "Getty Images", "m3", None),
        ("copyright_holder", "Getty Images", "Getty Images", "m3", None),
        ("photographer", "Sam Lee", "Sam Lee", "m4", None),
    ]
    assert [(m.kind, m.url, m.mime_type, m.size, m.caption) for m in ferry.media] == [
        (MediaKind.IMAGE, "https://news.example/img/ferry.jpg", "image/jpeg", 1200,
         "The ferry at Queens Wharf"),
        (MediaKind.VIDEO, "https://news.example/img/clip", None, None, None),  # "mp4", -1: no
        (MediaKind.IMAGE, None, None, None, None),  # a credit alone still says who made it
        (MediaKind.IMAGE, "https://news.example/img/crew.jpg", None, None, None),
        (MediaKind.VIDEO, "https://cdn.example/v/ferry", None, None, None),
    ]
    assert ferry.rights is not None
    assert (ferry.rights.notice, ferry.rights.license_url) == (
        "© 2025 Harbour News Ltd", "https://creativecommons.org/licenses/by/4.0/")
    assert ferry.rights.holder is not None and ferry.rights.holder.name == "Harbour News Ltd"

    assert rights.url == "https://news.example/rights"  # spaces trimmed
    assert rights.rights is not None and rights.rights.holder is not None
    assert (rights.rights.notice, rights.rights.holder.name, rights.rights.license_url) == (
        "© Example", "Example Ltd", "https://example.org/licence")
    assert [m.url for m in rights.media] == [
        "https://news.example/img/a-1x1.jpg", "https://news.example/img/a-4x3.jpg"]


BASE = {"title": "A story", "body": "Some text of the story."}


@pytest.mark.parametrize(("fields", "reason"), [
    ({"title": {"text": "x"}}, "'title' must be text, got an object"),
    ({"url": 5}, "'url' must be a url, got a number"),
    ({"date": "March 12"}, "'date' is not a date with a year, month and day: 'March 12'"),
    ({"tags": {"a": 1}}, "'tags' must be text or a list of text, got an object"),
    ({"author": [{"url": "https://news.example/x"}]}, "'author' has an entry without a name"),
    ({"author": 7}, "'author' must be a name, an object with a name, or a list; got a number"),
    ({"credits": "Desk"}, "'credits' must be a list of objects, got str"),
    ({"credits": ["Desk"]}, "'credits' holds str, not an object"),
    ({"credits": [{"name": "Desk", "role": "chef"}]},
     "'credits' entry has an unknown role: 'chef'"),
    ({"image": [12]}, "'image' must be a url or an object, got a number"),
    ({"image": {"caption": ""}}, "'image' has an entry with no url, caption or credit"),
    ({"rights": ["a"]}, "'rights' must be text or an object, got a list"),
    ({"title": True}, "'title' must be text, got true/false"),
    ({"title": None, "headline": [1]}, "'headline' must be text, got a list"),
])
def test_a_shape_it_refuses_names_the_file_the_record_and_the_key(fields: dict[str, object],
                                                                  reason: str) -> None:
    data = json.dumps([BASE, {**BASE, **fields}], indent=1).encode()
    with pytest.raises(SourceError) as info:
        read_json(data)
    message = str(info.value)
    assert message.startswith("export.json:") and "record 2" in message, message
    assert reason in message, message


def test_an_agents_stated_kind_is_kept_never_guessed_from_the_name() -> None:
    """`credits` in our own terms state each agent's kind; "unknown" stays unknown (it was once
    guessed from the name: "Pacific Wire" looks like a person's)."""
    record = {"title": "Talks resume", "content_text": "Talks resume in Apia.", "credits": [
        {"role": "source", "agent": {"name": "Pacific Wire", "kind": kind}}
        for kind in ("unknown", "organization", "person")]}
    (entry,) = read_json(json.dumps(record).encode())
    assert [(c.agent.name, c.agent.kind) for c in entry.credits] == [
        ("Pacific Wire", AgentKind.UNKNOWN), ("Pacific Wire", AgentKind.ORGANIZATION),
        ("Pacific Wire", AgentKind.PERSON)]
