"""Our own documents are held to more than a foreign feed: active content in them is a warning
for `feedwright validate` (the W3C validator accepts it) but stops export and build publishing,
since it means the sanitiser let it through."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedwright.export import InvalidDocument, export_document
from feedwright.model import Agent, AgentKind, Entry, Feed, Timestamp
from feedwright.pipeline.render import Checking, Document, Rendered, render
from feedwright.validate import validate_document

ACTIVE = {
    "html-script": '<p>Hello</p><script>alert(1)</script>',
    "html-event-handler": '<p onclick="alert(1)">Hello</p>',
    "html-javascript-url": '<p><a href="javascript:alert(1)">Hello</a></p>',
}


def feed_with(content: str) -> Feed:
    entry = Entry(
        id="tag:example.test,2026:story",
        title="Story",
        url="https://example.test/story",
        content_html=content,
        published=Timestamp(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "test"),
    )
    return Feed(id="tag:example.test,2026:feed", title="Gate", link="https://example.test/",
                authors=(Agent("Desk", AgentKind.ORGANIZATION),),
                self_url="https://example.test/feed", entries=(entry,))


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
@pytest.mark.parametrize("rule", sorted(ACTIVE))
def test_active_content_is_a_warning_in_validate_but_stops_our_own_output(rule: str,
                                                                          fmt: str) -> None:
    feed = feed_with(ACTIVE[rule])
    (done,) = render(feed, [Document(fmt, fmt, feed.self_url)])
    assert done.data is not None and done.report is not None
    report = validate_document(done.data)
    assert report.ok and rule in {i.rule for i in report.warnings}  # foreign feeds: a warning
    assert any(f": {rule}: " in line for line in done.errors())  # the build refuses it
    with pytest.raises(InvalidDocument, match=rule):  # and so does export
        export_document(feed, fmt)


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_clean_content_passes_the_gate(fmt: str) -> None:
    feed = feed_with("<p>Hello <a href=\"https://example.test/\">there</a></p>")
    (done,) = render(feed, [Document(fmt, fmt, feed.self_url)])
    assert done.errors() == []
    assert export_document(feed, fmt).data == done.data


@pytest.mark.parametrize("rule", sorted(ACTIVE))
def test_a_document_validated_in_a_worker_is_refused_the_same(rule: str) -> None:
    """RSS and Atom handed to worker processes (`Checking`) while the next is emitted: the same
    reports and refusals as validating here, JSON Feed still checked here."""
    feed = feed_with(ACTIVE[rule])
    targets = [Document(fmt, fmt, feed.self_url) for fmt in ("rss", "atom", "json")]
    here = list(render(feed, targets))
    with Checking(2, least=1) as checking:
        there = list(render(feed, targets, checking))
        assert [d.pending is not None for d in there] == [True, True, False]
        assert [d.errors() for d in there] == [d.errors() for d in here]
    assert all(d.errors() and any(f": {rule}: " in line for line in d.errors()) for d in there)
    assert [d.report for d in there] == [d.report for d in here]
    assert [d.data for d in there] == [d.data for d in here]


def test_more_documents_than_workers_each_get_their_own_report() -> None:
    clean = feed_with("<p>Hello</p>")
    bad = feed_with(ACTIVE["html-script"])
    with Checking(2, least=1) as checking:
        done = [next(render(feed, [Document(fmt, fmt, feed.self_url)], checking))
                for feed in (bad, clean, bad, clean) for fmt in ("rss", "atom")]
        verdicts = [bool(d.errors()) for d in done]
    assert verdicts == [True, True, False, False, True, True, False, False]


def _validation_workers() -> int:
    import multiprocessing

    return sum(p.name.startswith(("Process", "ForkServerProcess", "SpawnProcess"))
               for p in multiprocessing.active_children())


@pytest.mark.parametrize(("workers", "ready", "started"), [(2, 2, 2), (2, 5, 2), (1, 2, 0)])
def test_workers_asked_for_ready_are_running_before_the_first_document(
        workers: int, ready: int, started: int) -> None:
    """A build that knows big documents are coming starts their validation workers on entering
    (each imports the validator while the build still emits), never more than `workers`, none
    when validating here; they check as the lazily started ones do, and end with the block."""
    before = _validation_workers()
    feed = feed_with(ACTIVE["html-script"])
    with Checking(workers, least=1, ready=ready) as checking:
        assert _validation_workers() - before == started
        (done,) = render(feed, [Document("rss", "rss", feed.self_url)], checking)
        assert (done.pending is not None) == (workers > 1)
        assert any(": html-script: " in line for line in done.errors())
        assert _validation_workers() - before == started  # the ready one took it: none more
    assert _validation_workers() == before


def test_a_big_document_gets_the_report_validating_here_gives() -> None:
    """A big document goes to its worker in an unnamed file (render.hand_over: it never holds
    the whole document in memory); broken early or late, it gets the report validating here
    gives, and the next document the same worker takes is checked from its own beginning."""
    long = "<p>" + " ".join(["Words of a long article, & more."] * 120_000) + "</p>"
    (rendered,) = render(feed_with(long), [Document("rss", "rss", "https://example.test/feed")])
    good = rendered.data
    assert good is not None and len(good) > 3 << 20
    broken = good.replace(b"<channel>", b"<channel><<", 1)
    bad_at_end = good[:-len(b"</rss>\n")]
    with Checking(2, least=1) as checking:
        for data in (broken, good, bad_at_end, good):
            there = checking.submit(data, "rss")()  # each waited for: the same worker again
            here = validate_document(data, "rss")
            assert there == here
            assert there.ok == (data is good)


def test_a_big_json_feed_is_checked_by_its_worker_as_here() -> None:
    """A JSON Feed handed over is streamed from its file by the worker; one the streaming check
    cannot report on (items before the version: parsed whole) still gets the whole-document
    report, read again from the file's start."""
    import json

    long = "<p>" + " ".join(["Words of a long article, & more."] * 120_000) + "</p>"
    (rendered,) = render(feed_with(long), [Document("json", "json", "https://example.test/feed")])
    good = rendered.data
    assert good is not None and len(good) > 3 << 20
    document = json.loads(good)
    items_first = json.dumps({"items": document["items"],
                              **{k: v for k, v in document.items() if k != "items"}}).encode()
    unknown_item_member = good.replace(b'"id":', b'"id":7, "idd":', 1)
    with Checking(2, least=1) as checking:
        for data in (good, items_first, unknown_item_member, good.rstrip()[:-1]):
            assert checking.submit(data, "json")() == validate_document(data, "json")
    assert validate_document(items_first, "json").ok
    assert not validate_document(good.rstrip()[:-1], "json").ok


def test_a_worker_checks_the_staged_copy_it_is_pointed_at() -> None:
    """A document left to a worker (render.Deferred) and told where it is staged is checked
    from that file, not from the bytes held here: a staged copy that differs (here broken)
    gets its own report, the bytes' report is not made."""
    import tempfile

    long = "<p>" + " ".join(["Words of a long article, & more."] * 50_000) + "</p>"
    target = Document("rss", "rss", "https://example.test/feed")
    (alone,) = render(feed_with(long), [target])
    assert alone.data is not None and alone.report is not None and alone.report.ok
    broken = alone.data.replace(b"<channel>", b"<channel><<", 1)
    with Checking(2, least=1) as checking, tempfile.NamedTemporaryFile() as staged:
        staged.write(broken)
        staged.flush()
        (there,) = render(feed_with(long), [target], checking)
        assert there.data == alone.data and there.deferred is not None
        there.deferred.staged(staged.name)
        assert there.deferred.in_worker
        assert there.errors() and there.report == validate_document(broken, "rss")


def test_publish_starts_each_workers_check_from_the_document_it_staged(tmp_path: Path) -> None:
    """publish (pipeline/commit.py) into a local folder: every document a worker checks is
    started from its staged copy (the temporary file beside the document) while publish goes
    on, and the reports and the published bytes are those of validating and writing them here.
    (A JSON Feed whose object the emitter made is checked here, from that object.)"""
    from feedwright.pipeline.commit import publish
    from feedwright.publish import LocalFolder

    feed = feed_with("<p>Hello</p>")
    targets = [Document(fmt, f"feed.{fmt}", feed.self_url) for fmt in ("rss", "atom", "json")]
    here = list(render(feed, targets))
    started: list[str | None] = []  # the file each worker read, as publish takes the next

    def observed(rendered: Iterable[Rendered]) -> Iterator[Rendered]:
        deferred = None
        for document in rendered:
            if deferred is not None:
                started.append(deferred.read_from)
            deferred = document.deferred
            assert deferred is not None or document.document.fmt == "json"  # its object: here
            yield document
        started.append(deferred.read_from if deferred is not None else None)

    with Checking(2, least=1) as checking:
        there = list(render(feed, targets, checking))
        done = publish(observed(iter(there)), LocalFolder(tmp_path),
                       record=contextlib.nullcontext)
    assert done.errors == [] and [Path(f).name.split(".")[:3] if f else f for f in started] == [
        ["", "feedwright-feed", "rss"], ["", "feedwright-feed", "atom"], None]
    assert all(Path(f).parent == tmp_path for f in started if f)
    assert [d.report for d in there] == [d.report for d in here]
    assert [(tmp_path / t.name).read_bytes() for t in targets] == [d.data for d in here]
