"""Real pages as whole-page text dumps: the html set rendered to text, with what it should read.

    python benchmarks/html_as_text.py /tmp/html-as-text              # from ../shared/corpus
    python benchmarks/html_as_text.py OUT --corpus PATH --chromium /usr/bin/chromium
    python ../shared/corpus/text-dumps/score.py /tmp/html-as-text --fw VENV/bin/feedwright

The text-dumps set (``shared/corpus/text-dumps``) is what the text reader was tuned on. This
makes a second set of the same form from pages nobody tuned on: each page of
``shared/corpus/html-pages`` (real pages of the Article Extraction Benchmark with their true
bodies) is loaded in headless Chromium with scripts off and no network (every host name resolves
to nothing, so no stylesheet or picture loads), and its ``document.body.innerText`` is written as
``OUT/ID.txt``, one line per block with a blank line between blocks, as text-dumps/README.md
describes. A page that shows (almost) nothing without its scripts is rendered again with them on
(still without network), and its record says so (``render``).

``OUT/expected.json`` maps each ``ID.txt`` to what text-dumps' ``score.py`` reads: ``body``, the
benchmark's true article body, one string per paragraph; and, where the page's markup states
them, ``title`` (og:title, else <title>), ``authors`` (person names from JSON-LD or the author
meta tag), and ``published`` (JSON-LD datePublished or article:published_time), with
``title_in_dump`` and ``published_day_in_dump`` saying whether the dump prints them. Titles from
metadata may legitimately differ from the printed headline: the body is the main figure.

Chromium is driven over its DevTools pipe (``--remote-debugging-pipe``: JSON messages ended by a
NUL byte on file descriptors 3 and 4), so no client library is needed. The corpus is read only;
nothing is written but OUT. The page texts belong to their publishers: never commit OUT.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS_CANDIDATES = (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")
#: Fewer words than this without scripts: the page needs them to show its text.
_MIN_WORDS_WITHOUT_SCRIPTS = 80
_LOAD_TIMEOUT = 20.0
_INNER_TEXT = "document.body ? document.body.innerText : ''"


class Chromium:
    """One headless Chromium, spoken to over its DevTools pipe."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="html-as-text-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_pipes() -> None:  # in the child: fd 3 reads our commands, fd 4 answers
            read_end, write_end = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--remote-debugging-pipe",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={self.profile}",
                "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: nothing but the file
                "--window-size=1280,2000",
                "about:blank",
            ],
            preexec_fn=wire_pipes,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        return self._next_id

    def receive(self, timeout: float) -> dict[str, Any] | None:
        """The next message, or None when none comes within the timeout."""
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                return None
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed its DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        wanted = self.send(method, params, session)
        while True:
            message = self.receive(_LOAD_TIMEOUT)
            if message is None:
                raise RuntimeError(f"chromium did not answer {method}")
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def inner_text(self, path: Path, scripts: bool) -> str:
        """The page's body text as a browser shows it, in a fresh tab."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        try:
            self.call("Emulation.setScriptExecutionDisabled", {"value": not scripts}, session)
            self.call("Page.enable", {}, session)
            self.call("Page.navigate", {"url": path.as_uri()}, session)
            deadline = time.monotonic() + _LOAD_TIMEOUT
            while time.monotonic() < deadline:
                message = self.receive(deadline - time.monotonic())
                if message is None or message.get("method") == "Page.loadEventFired":
                    break
            found = self.call(
                "Runtime.evaluate",
                {"expression": _INNER_TEXT, "returnByValue": True},
                session,
            )
            return str(found.get("result", {}).get("value") or "")
        finally:
            self.call("Target.closeTarget", {"targetId": target})

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.process.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)


def as_dump(inner_text: str) -> str:
    """One block per line, a blank line between blocks (the form of text-dumps)."""
    lines = [" ".join(line.split()) for line in inner_text.splitlines()]
    return "\n\n".join(line for line in lines if line) + "\n"


# --- what the page's markup states -------------------------------------------------------------


def _json_ld_objects(document: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in document.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))
    return objects


def _is_article(item: dict[str, Any]) -> bool:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and ("Article" in k or k == "BlogPosting") for k in kinds)


def _person_names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values:
        if isinstance(item, dict):
            if item.get("@type") not in (None, "Person"):
                continue
            item = item.get("name")
        if isinstance(item, str) and _looks_like_person(item):
            names.append(" ".join(item.split()))
    return names


def _looks_like_person(text: str) -> bool:
    """Two to four capitalised words, no url or organisation: a name the dump could print."""
    words = text.split()
    return (
        2 <= len(words) <= 4
        and "://" not in text
        and all(w[:1].isupper() for w in words if len(w) > 3)
        and not re.search(r"\b(?:staff|news|team|editors?|press|agency|inc|ltd)\b", text, re.I)
    )


def _meta(document: Any, *keys: str) -> str | None:
    for key in keys:
        for attribute in ("property", "name", "itemprop"):
            found = document.xpath(f'//meta[@{attribute}="{key}"]/@content')
            if found and found[0].strip():
                return " ".join(found[0].split())
    return None


def stated(html: str) -> dict[str, Any]:
    """Title, authors and publication instant as the page's markup states them."""
    import lxml.html

    document = lxml.html.fromstring(html)
    articles = [o for o in _json_ld_objects(document) if _is_article(o)]
    title = _meta(document, "og:title")
    if title is None:
        found = document.xpath("//title")
        title = " ".join(found[0].text_content().split()) if found else None
    authors = next((n for a in articles if (n := _person_names(a.get("author")))), [])
    if not authors:
        meta_author = _meta(document, "author", "article:author")
        authors = _person_names(meta_author) if meta_author else []
    published = next(
        (a["datePublished"] for a in articles if isinstance(a.get("datePublished"), str)), None
    ) or _meta(document, "article:published_time")
    return {"title": title or None, "authors": authors or None, "published": published}


def _day_printed(published: str | None, dump: str) -> bool | None:
    """Whether the publication day is printed in the dump in a common form."""
    if not published:
        return None
    try:
        day = datetime.fromisoformat(published.strip().replace("Z", "+00:00")[:19])
    except ValueError:
        return None
    month = day.strftime("%B")
    forms = [
        f"{month} {day.day}, {day.year}",
        f"{month[:3]} {day.day}, {day.year}",
        f"{month[:3]}. {day.day}, {day.year}",
        f"{day.day} {month} {day.year}",
        f"{day.day} {month[:3]} {day.year}",
        day.strftime("%Y-%m-%d"),
        f"{day.month}/{day.day}/{day.year}",
        f"{day.month:02d}/{day.day:02d}/{day.year}",
    ]
    folded = dump.casefold()
    return any(form.casefold() in folded for form in forms)


def _pinned_encoding(html: bytes) -> bytes:
    """A page that declares no charset but is valid UTF-8, with a byte-order mark: else Chromium
    guesses from what it has loaded so far, and one run gives `â€”` where another gives `—`."""
    if re.search(rb"charset\s*=", html[:4096], re.I) or html.startswith(b"\xef\xbb\xbf"):
        return html
    try:
        html.decode("utf-8")
    except UnicodeDecodeError:
        return html
    return b"\xef\xbb\xbf" + html


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


# --- the conversion ----------------------------------------------------------------------------


def convert(
    corpus: Path, out: Path, chromium: str, only: list[str] | None = None, quiet: bool = False
) -> int:
    """Render every page of the html set (or those in `only`) into `out`; the count written."""
    folder = corpus / "html-pages"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Any] = {}
    browser = Chromium(chromium)
    try:
        with tempfile.TemporaryDirectory(prefix="html-as-text-pages-") as scratch:
            for page_id, record in sorted(truth.items()):
                if only and page_id not in only:
                    continue
                html_bytes = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
                page = Path(scratch) / f"{page_id}.html"
                page.write_bytes(_pinned_encoding(html_bytes))
                render = "js-off"
                text = browser.inner_text(page, scripts=False)
                if len(text.split()) < _MIN_WORDS_WITHOUT_SCRIPTS:
                    render = "js-on"
                    text = browser.inner_text(page, scripts=True)
                page.unlink()
                dump = as_dump(text)
                name = f"{page_id}.txt"
                (out / name).write_text(dump, encoding="utf-8")
                meta = stated(html_bytes.decode("utf-8", "replace"))
                body = [p.strip() for p in record["articleBody"].splitlines() if p.strip()]
                expected[name] = {
                    "source": f"article-extraction-benchmark {page_id}",
                    "url": record["url"],
                    "render": render,
                    "title": meta["title"],
                    "title_in_dump": bool(meta["title"])
                    and _norm(meta["title"]) in {_norm(line) for line in dump.splitlines()},
                    "authors": meta["authors"],
                    "published": meta["published"],
                    "published_day_in_dump": _day_printed(meta["published"], dump),
                    "body": body,
                }
                if not quiet:
                    print(f"{name}: {render}, {len(dump.split())} words", flush=True)
    finally:
        browser.close()
    (out / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return len(expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", help="The folder to write ID.txt and expected.json into.")
    parser.add_argument("--corpus", default=None, help="The shared corpus folder.")
    parser.add_argument("--chromium", default=None, help="Chromium's binary.")
    parser.add_argument("--page", action="append", help="Only this page id (repeatable).")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus) if args.corpus else next(
        (c for c in CORPUS_CANDIDATES if (c / "html-pages").is_dir()), None
    )
    if corpus is None or not (corpus / "html-pages").is_dir():
        print("html_as_text: no shared corpus with html-pages/", file=sys.stderr)
        return 1
    chromium = args.chromium or find_chromium()
    if chromium is None:
        print("html_as_text: no chromium found (--chromium PATH)", file=sys.stderr)
        return 1
    count = convert(corpus, Path(args.out), chromium, args.page)
    print(f"{count} pages written to {args.out}")
    return 0


def find_chromium() -> str | None:
    """Debian's browser binary, else the first on the PATH."""
    for candidate in ("/usr/lib/chromium/chromium", "chromium", "chromium-browser", "chrome"):
        found = shutil.which(candidate) or (candidate if os.access(candidate, os.X_OK) else None)
        if found:
            return found
    return None


if __name__ == "__main__":
    sys.exit(main())
