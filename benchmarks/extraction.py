"""How well the readers find the article: scores on real pages and on our house-style fixtures.

    python benchmarks/extraction.py                   # every set, one summary line each
    python benchmarks/extraction.py --jobs 2 --json /tmp/extraction.json
    python benchmarks/extraction.py --set html --trafilatura   # and trafilatura alone

Four sets:

html      ``shared/corpus/html-pages``: real pages of the Article Extraction Benchmark with their
          true bodies. Each page is read by the html reader exactly as ``feedwright inspect
          --kind html`` reads it, with the page's url as its base. The body (the text of
          paragraph, heading, quote, list, standfirst and preformatted blocks; not figures) is
          scored the benchmark's way (its README): lower-case ``\\w+`` tokens, multisets of 4-token
          shingles, per page TP/FP/FN divided by their sum; precision and recall are means over
          pages (nothing extracted and nothing true counts 1), F1 = 2PR/(P+R) of the means,
          accuracy the share of pages whose token lists are identical. The truth has no
          metadata but the url, so metadata is counted against what each page states: pages
          whose markup states a publication time (JSON-LD datePublished, a date meta tag, a
          <time datetime>) and how many of them we give a published time; placeholder dates
          (year < 1990 or more than a year ahead of the page's newest stated date); titles with
          raw entities or the page's og:site_name as a suffix; media urls that are not
          absolute http(s) urls; the entry url against the page's url.
text      ``shared/corpus/text-dumps``: whole pages as plain text, scored by that folder's own
          ``score.py`` (run as a subprocess against this environment's ``feedwright``).
html-text the html set as whole-page text dumps (``benchmarks/html_as_text.py``: each page's
          innerText in headless Chromium, scripts off, with its true body and the title, authors
          and date its markup states), scored by text-dumps' ``score.py``: the text reader on
          pages nobody tuned it on. Read from ``--html-as-text DIR`` (default
          ``TMPDIR/html-as-text``), converted there first when it holds no expected.json.
house     ``fixtures/house/*.txt`` with a sibling ``NAME.expected.json``: checks passed / total.
          Keys (all optional): title, authors [names], published [ISO instant], categories
          [terms], rights [notice], credits [{role, name}], body_starts, body_ends, dateline,
          chrome_absent [strings], timezone (the reading time zone, default UTC). One check per
          key, except credits and chrome_absent: one per item. Text is compared with spaces
          collapsed and curly quotes and dashes folded; authors and categories as sets
          (casefolded); credits present among the entry's credits (name casefolded, role
          exact); body_starts / body_ends against the first / last paragraph, quote or list
          block; chrome_absent against every block's text, items and caption.

The shared corpus lives beside the repository (``../shared/corpus``); a set whose folder is
absent is skipped with a message. Results for docs/sources.md: the summary lines.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: The shared corpus sits beside the repository; a worktree one level deeper looks one up too.
CORPUS_CANDIDATES = (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")
HOUSE = ROOT / "fixtures" / "house"
BODY_KINDS = frozenset({"paragraph", "heading", "quote", "list", "standfirst", "preformatted"})
FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.I)


# --- shared helpers ----------------------------------------------------------------------------


def find_corpus(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    return next((c for c in CORPUS_CANDIDATES if c.is_dir()), None)


def norm_text(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(FOLD)
    return re.sub(r"\s+", " ", text).strip()


def block_text(block: Any) -> str:
    """A block's words: its text, or its items for a list."""
    return "\n".join([block.text or "", *block.items]).strip()


def read_entry(path: Path, data: bytes, kind: str, base_url: str | None, tz: str = "UTC") -> Any:
    """One entry as ``feedwright inspect --kind KIND`` reads it (a page's url as its base)."""
    from feedwright.sources import ReaderOptions, Retrieved, read

    retrieved = Retrieved(location=str(path), data=data, base_url=base_url)
    return read(retrieved, kind=kind, options=ReaderOptions(timezone=tz))[0]


# --- the html set ------------------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> collections.Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.lower())
    return collections.Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def body_score(extracted: str, truth: str) -> dict[str, Any]:
    """The benchmark's per-page figures (its README): shingle TP/FP/FN over their sum."""
    pred, gold = shingles(extracted), shingles(truth)
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    if total == 0:
        precision = recall = 1.0
    else:
        tp_s, fp_s, fn_s = tp / total, fp / total, fn / total
        precision = tp_s / (tp_s + fp_s) if tp_s + fp_s else 0.0
        recall = tp_s / (tp_s + fn_s) if tp_s + fn_s else 0.0
    exact = re.findall(r"\w+", extracted.lower()) == re.findall(r"\w+", truth.lower())
    return {"precision": precision, "recall": recall, "exact": exact, "tp": tp, "fp": fp, "fn": fn}


def stated_dates(html: str) -> list[datetime]:
    """Publication instants the page's markup states (independently of the reader): JSON-LD
    datePublished, date meta tags, <time datetime> not marked as a modification time. Only values
    that parse as ISO with a time."""
    found = re.findall(
        r"\"datePublished\"\s*:\s*\"([^\"]+)\""
        r"|<meta[^>]+(?:article:published_time|datePublished|pubdate|publish-date|dc\.date)"
        r"[^>]+content=\"([^\"]+)\""
        r"|<meta[^>]+content=\"([^\"]+)\"[^>]+(?:article:published_time|datePublished|pubdate)"
        r"|<time(?![^>]+(?:class|itemprop)=\"[^\"]*(?:updated|modified)[^\"]*\")"
        r"[^>]+datetime=\"([^\"]+)\"",
        html,
        re.I,
    )
    stamps: list[datetime] = []
    for groups in found:
        value = next(g for g in groups if g).strip()
        if not re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", value):
            continue
        try:
            stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        stamps.append(stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC))
    return stamps


def score_html_page(args: tuple[str, str, str, str]) -> dict[str, Any]:
    page_id, path_text, url, truth = args
    path = Path(path_text)
    data = gzip.decompress(path.read_bytes())
    row: dict[str, Any] = {"page": page_id, "url": url}
    html = data.decode("utf-8", "replace")
    stated = [s for s in stated_dates(html) if 1990 <= s.year <= 2100]
    row["states_time"] = bool(stated)
    site = re.search(r"<meta[^>]+property=\"og:site_name\"[^>]+content=\"([^\"]+)\"", html, re.I)
    try:
        entry = read_entry(path, data, "html", url)
    except Exception as exc:  # a reader failure is a scored result, not a crash of the benchmark
        row.update(error=f"{type(exc).__name__}: {exc}", **body_score("", truth))
        row.update(published=None, has_time=False, placeholder=False, title="")
        return row
    body = "\n".join(block_text(b) for b in entry.blocks if b.kind.value in BODY_KINDS)
    row.update(error=None, **body_score(body, truth))
    row["title"] = entry.title
    row["title_entity"] = bool(_ENTITY.search(entry.title))
    site_name = norm_text(site.group(1)).casefold() if site else ""
    row["title_site_suffix"] = (
        bool(site_name)
        and norm_text(entry.title).casefold().endswith(site_name)
        and norm_text(entry.title).casefold() != site_name
    )
    published = entry.published
    row["published"] = published.value.isoformat() if published else None
    row["has_time"] = published is not None and not published.day_only
    newest = max(stated, default=None)
    row["placeholder"] = published is not None and (
        published.value.year < 1990
        or (newest is not None and published.value > newest + timedelta(days=366))
    )
    row["authors"] = [a.name for a in entry.authors]
    row["bad_media_urls"] = [
        m.url for m in entry.media if m.url and not re.match(r"https?://[^\s\"{}<>]+$", m.url)
    ]
    row["url_matches"] = (entry.url or "").rstrip("/") == url.rstrip("/")
    row["media"] = len(entry.media)
    row["credited_media"] = sum(1 for m in entry.media if m.credits)
    return row


def trafilatura_row(args: tuple[str, str, str, str]) -> dict[str, Any]:
    """trafilatura alone with its defaults: the reference the benchmark's table lists."""
    import trafilatura

    page_id, path_text, url, truth = args
    html = gzip.decompress(Path(path_text).read_bytes()).decode("utf-8", "replace")
    text = trafilatura.extract(html, url=url) or ""
    return {"page": page_id, **body_score(text, truth)}


def page_f1(row: dict[str, Any]) -> float:
    p, r = row["precision"], row["recall"]
    return 2 * p * r / (p + r) if p + r else 0.0


def summarise_body(rows: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    precision = statistics.mean(r["precision"] for r in rows)
    recall = statistics.mean(r["recall"] for r in rows)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(r["exact"] for r in rows) / len(rows)
    return precision, recall, f1, accuracy


def run_html(corpus: Path, jobs: int, reference: bool) -> tuple[list[str], dict[str, Any]]:
    folder = corpus / "html-pages"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    tasks = [
        (pid, str(folder / "html" / f"{pid}.html.gz"), t["url"], t["articleBody"])
        for pid, t in sorted(truth.items())
    ]
    rows = pool_map(score_html_page, tasks, jobs)
    p, r, f1, acc = summarise_body(rows)
    n = len(rows)
    stating = [x for x in rows if x["states_time"]]
    lines = [
        f"html pages: {n}; body P {p:.3f} R {r:.3f} F1 {f1:.3f} accuracy {acc:.3f}; "
        f"empty bodies {sum(1 for x in rows if x['fp'] + x['tp'] == 0 and x['fn'])}, "
        f"pages below F1 0.5 {sum(1 for x in rows if page_f1(x) < 0.5)}; "
        f"errors {sum(1 for x in rows if x['error'])}",
        f"html metadata: published with time {sum(x['has_time'] for x in stating)}/{len(stating)}"
        f" pages that state one (any published {sum(bool(x['published']) for x in rows)}/{n}); "
        f"placeholder dates {sum(x['placeholder'] for x in rows)}; "
        f"authors on {sum(bool(x.get('authors')) for x in rows)}/{n}; "
        f"titles with entities {sum(x.get('title_entity', False) for x in rows)}, "
        f"with the site-name suffix {sum(x.get('title_site_suffix', False) for x in rows)}; "
        f"invalid media urls {sum(len(x.get('bad_media_urls', [])) for x in rows)}; "
        f"url = page url {sum(x.get('url_matches', False) for x in rows)}/{n}; "
        f"media {sum(x.get('media', 0) for x in rows)} "
        f"({sum(x.get('credited_media', 0) for x in rows)} credited)",
    ]
    result: dict[str, Any] = {"summary": {"precision": p, "recall": r, "f1": f1, "accuracy": acc}}
    if reference:
        ref_rows = pool_map(trafilatura_row, tasks, jobs)
        rp, rr, rf1, racc = summarise_body(ref_rows)
        lines.append(
            f"html pages, trafilatura alone (defaults): body P {rp:.3f} R {rr:.3f} F1 {rf1:.3f} "
            f"accuracy {racc:.3f}"
        )
        by_page = {x["page"]: x for x in ref_rows}
        for row in rows:
            ref = by_page[row["page"]]
            row["trafilatura"] = {k: ref[k] for k in ("precision", "recall", "exact")}
    result["pages"] = rows
    return lines, result


# --- the text-dumps set ------------------------------------------------------------------------


def feedwright_command() -> str:
    beside = Path(sys.executable).parent / "feedwright"
    return str(beside) if beside.exists() else shutil.which("feedwright") or "feedwright"


def run_text(corpus: Path, jobs: int) -> tuple[list[str], dict[str, Any]]:
    folder = corpus / "text-dumps"
    return score_dumps(folder / "score.py", folder, jobs, "text dumps")


def run_html_as_text(
    corpus: Path, jobs: int, converted: Path | None
) -> tuple[list[str], dict[str, Any]]:
    """The html set as whole-page text dumps (benchmarks/html_as_text.py), scored by the
    text-dumps score.py: the text reader on pages nobody tuned it on. Converted into `converted`
    first when that folder has no expected.json (about two minutes in headless Chromium)."""
    import html_as_text

    folder = converted or Path(tempfile.gettempdir()) / "html-as-text"
    if not (folder / "expected.json").exists():
        chromium = html_as_text.find_chromium()
        if chromium is None:
            return ["html as text: skipped, no chromium to render the pages"], {}
        html_as_text.convert(corpus, folder, chromium, quiet=True)
    return score_dumps(corpus / "text-dumps" / "score.py", folder, jobs, "html as text")


def score_dumps(
    score_py: Path, folder: Path, jobs: int, label: str
) -> tuple[list[str], dict[str, Any]]:
    """score.py over a folder of dumps, its summary line printed under `label`."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "text.json"
        command = [
            sys.executable,
            str(score_py),
            str(folder),
            "--fw",
            feedwright_command(),
            "--jobs",
            str(jobs),
            "--quiet",
            "--json",
            str(out),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not out.exists():
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            return [f"{label}: score.py failed: {tail[0]}"], {"error": done.stderr}
        result = json.loads(out.read_text(encoding="utf-8"))
    lines = [
        label + line.removeprefix("text dumps")
        for line in done.stdout.splitlines()
        if line.startswith("text dumps:")
    ]
    s = result["summary"]
    lines.append(
        f"{label}, detail: author P {s['author_precision']:.3f} R {s['author_recall']:.3f}; "
        f"published day where printed {s['date_day_visible']}/{s['date_visible_pages']}, "
        f"instant {s['date_instant']}/{s['instant_pages']}; body mean P {s['body_p_mean']:.3f} "
        f"R {s['body_r_mean']:.3f}"
    )
    return lines, result


# --- the house-style fixtures ------------------------------------------------------------------


def _body_blocks(entry: Any) -> list[Any]:
    return [b for b in entry.blocks if b.kind.value in ("paragraph", "quote", "list")]


def _all_texts(entry: Any) -> Iterable[str]:
    for block in entry.blocks:
        yield block_text(block)
    for media in entry.media:
        yield media.caption or ""


def house_checks(entry: Any, expected: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(check, passed, what we found) for every key of a fixture's expected.json."""
    checks: list[tuple[str, bool, str]] = []

    def check(name: str, passed: bool, found: object) -> None:
        checks.append((name, passed, repr(found)[:200]))

    if "title" in expected:
        check("title", norm_text(entry.title) == norm_text(expected["title"]), entry.title)
    if "authors" in expected:
        found = {norm_text(a.name).casefold() for a in entry.authors}
        want = {norm_text(a).casefold() for a in expected["authors"]}
        check("authors", found == want, sorted(found))
    if "published" in expected:
        want_at = datetime.fromisoformat(expected["published"].replace("Z", "+00:00"))
        got = entry.published.value if entry.published else None
        check("published", got is not None and got == want_at, got and got.isoformat())
    if "categories" in expected:
        found = {norm_text(c).casefold() for c in entry.categories}
        want = {norm_text(c).casefold() for c in expected["categories"]}
        check("categories", found == want, sorted(found))
    if "rights" in expected:
        notice = entry.rights.notice if entry.rights else None
        check("rights", norm_text(notice) == norm_text(expected["rights"]), notice)
    if "credits" in expected:
        have = {(norm_text(c.agent.name).casefold(), c.role.value) for c in entry.credits}
        for credit in expected["credits"]:
            key = (norm_text(credit["name"]).casefold(), credit["role"])
            check(f"credit {credit['role']} {credit['name']}", key in have, sorted(have))
    body = _body_blocks(entry)
    if "body_starts" in expected:
        first = norm_text(block_text(body[0])) if body else ""
        check("body_starts", first.startswith(norm_text(expected["body_starts"])), first[:80])
    if "body_ends" in expected:
        last = norm_text(block_text(body[-1])) if body else ""
        check("body_ends", last.endswith(norm_text(expected["body_ends"])), last[-80:])
    if "dateline" in expected:
        got_line = entry.dateline or ""
        check(
            "dateline",
            norm_text(got_line).casefold() == norm_text(expected["dateline"]).casefold(),
            entry.dateline,
        )
    for text in expected.get("chrome_absent", []):
        wanted = norm_text(text).casefold()
        hits = [t for t in _all_texts(entry) if wanted in norm_text(t).casefold()]
        check(f"chrome_absent {text}", not hits, hits[:1])
    return checks


def score_house_file(path_text: str) -> dict[str, Any]:
    path = Path(path_text)
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    row: dict[str, Any] = {"fixture": path.name}
    try:
        entry = read_entry(path, path.read_bytes(), "text", None, expected.get("timezone", "UTC"))
    except Exception as exc:  # every check of a fixture that cannot be read fails
        row["error"] = f"{type(exc).__name__}: {exc}"
        names = [k for k in expected if k != "timezone"]
        row["checks"] = [(name, False, row["error"]) for name in names]
        return row
    row["error"] = None
    row["checks"] = house_checks(entry, expected)
    return row


def run_house(jobs: int) -> tuple[list[str], dict[str, Any]]:
    files = sorted(str(p) for p in HOUSE.glob("*.txt") if p.with_suffix(".expected.json").exists())
    if not files:
        return [f"house styles: no fixtures with expected.json in {HOUSE}"], {"fixtures": []}
    rows = pool_map(score_house_file, files, jobs)
    passed = sum(ok for r in rows for _, ok, _ in r["checks"])
    total = sum(len(r["checks"]) for r in rows)
    failed = [f"{r['fixture']}: {name}" for r in rows for name, ok, _ in r["checks"] if not ok]
    lines = [f"house styles: {len(rows)} fixtures, checks {passed}/{total} passed"]
    lines.extend(f"  failed {f}" for f in failed)
    return lines, {"summary": {"passed": passed, "total": total}, "fixtures": rows}


# --- running -----------------------------------------------------------------------------------


def pool_map(fn: Any, tasks: list[Any], jobs: int) -> list[Any]:
    if jobs <= 1:
        return [fn(t) for t in tasks]
    with cf.ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(fn, tasks, chunksize=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--set",
        action="append",
        choices=("html", "text", "html-text", "house"),
        help="Only these sets (repeatable; default all).",
    )
    parser.add_argument("--corpus", default=None, help="The shared corpus folder.")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", default=None, help="Write per-page results here.")
    parser.add_argument(
        "--html-as-text",
        default=None,
        help="The html set converted to text dumps (benchmarks/html_as_text.py OUT); converted "
        "there first when it holds no expected.json (default: TMPDIR/html-as-text).",
    )
    parser.add_argument(
        "--trafilatura",
        action="store_true",
        help="Also score trafilatura alone on the html set, for reference.",
    )
    args = parser.parse_args(argv)
    sets = args.set or ["html", "text", "html-text", "house"]
    corpus = find_corpus(args.corpus)
    results: dict[str, Any] = {}
    for name in sets:
        if name == "house":
            lines, results[name] = run_house(args.jobs)
        else:
            needed = ("html-pages",) if name == "html" else ("text-dumps",)
            if name == "html-text":
                needed = ("html-pages", "text-dumps")  # the pages, and score.py
            missing = [n for n in needed if corpus is None or not (corpus / n).is_dir()]
            if corpus is None or missing:
                where = corpus or CORPUS_CANDIDATES[0]
                print(f"{name}: skipped, no {', '.join(missing)} in the shared corpus at {where}")
                continue
            if name == "html":
                lines, results[name] = run_html(corpus, args.jobs, args.trafilatura)
            elif name == "html-text":
                converted = Path(args.html_as_text) if args.html_as_text else None
                lines, results[name] = run_html_as_text(corpus, args.jobs, converted)
            else:
                lines, results[name] = run_text(corpus, args.jobs)
        for line in lines:
            print(line, flush=True)
    if args.json:
        Path(args.json).write_text(
            json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
