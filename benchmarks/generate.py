"""Deterministic synthetic article sources for the benchmarks.

    python benchmarks/generate.py 10000 [--out benchmarks/data] [--kinds text,html,markdown]

Writes ``OUT/N/KIND/NNN/article-NNNNNN.EXT`` (a thousand to a folder, as a CMS export would) and
nothing else. Articles are the size of real ones (3-8 KB of body text, 1-4 figures with credits)
and use the house styles the readers understand: bylines, date lines in the common forms,
captions with ``(Source: X)``, ``Photo: Name/Agency``, wire credits, agency datelines, sign-offs,
topic footers, copyright lines and page chrome. The same N and seed always give the same bytes,
so runs on different days compare.

html and markdown are written only for kinds that have a reader (``feedwright.sources.KINDS``).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

SEED = 20260401
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
SUFFIXES = {"text": "txt", "html": "html", "markdown": "md"}

_WORDS = [
    "council",
    "government",
    "minister",
    "funding",
    "health",
    "school",
    "water",
    "housing",
    "budget",
    "report",
    "police",
    "court",
    "community",
    "families",
    "rates",
    "inflation",
    "bank",
    "market",
    "economy",
    "farmers",
    "export",
    "trade",
    "climate",
    "flood",
    "storm",
    "road",
    "transport",
    "hospital",
    "nurses",
    "teachers",
    "union",
    "survey",
    "scientists",
    "glacier",
    "coast",
    "harbour",
    "city",
    "region",
    "board",
    "plan",
    "review",
    "decision",
    "vote",
    "consultation",
    "costs",
    "residents",
    "business",
    "owners",
    "workers",
    "students",
    "research",
    "data",
    "figures",
    "increase",
    "decrease",
    "week",
    "month",
    "year",
    "policy",
    "spokesperson",
    "statement",
    "project",
    "programme",
    "service",
    "centre",
]
_VERBS = [
    "said",
    "told",
    "announced",
    "confirmed",
    "warned",
    "expected",
    "released",
    "reported",
    "found",
    "agreed",
]
_FIRST = [
    "Jane",
    "Kate",
    "Hemi",
    "Lucy",
    "Praveen",
    "Tess",
    "Eleanor",
    "Tom",
    "Nick",
    "Dan",
    "Aroha",
    "Sam",
    "Priya",
    "Ben",
    "Mere",
]
_LAST = [
    "Smith",
    "Green",
    "Walker",
    "Craymer",
    "Menon",
    "Ikonomou",
    "Roy",
    "Ellery",
    "Monro",
    "Ngata",
    "Patel",
    "Lee",
    "Brown",
]
_PLACES = [
    "WELLINGTON",
    "AUCKLAND",
    "SYDNEY",
    "CHRISTCHURCH",
    "MELBOURNE",
    "DUNEDIN",
    "BRISBANE",
    "HAMILTON",
]
_AGENCIES = ("Getty Images", "AFP", "Reuters", "AAP", "Supplied", "1News", "RNZ", "Stuff")
_WIRES = ("Reuters", "AAP", "AFP")
_OUTLETS = ("1News", "RNZ", "Breakfast", "Checkpoint", "Morning Report")
_ROLES = ("Political Reporter", "Health Reporter", "Business Editor", "Senior Journalist")
_TOPICS = [
    "Politics",
    "Health",
    "Business",
    "Climate",
    "Education",
    "Transport",
    "Housing",
    "Sport",
    "World",
]
_CHROME = ("Share this", "Advertisement", "Share on Facebook", "Share on X", "Skip to content")
_ZONES = ("NZDT", "NZST", "AEDT", "BST", "GMT")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    at = rng.randint(2, len(words) - 2)
    words.insert(at, rng.choice(_VERBS))
    words[0] = words[0].capitalize()
    if rng.random() < 0.2:
        return f'"{" ".join(words)}," {_name(rng)} said.'
    return " ".join(words) + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _headline(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 11))]
    return " ".join([words[0].capitalize(), *words[1:3], rng.choice(_VERBS), *words[3:]])


def _caption_text(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 12))]
    return f"{_name(rng)} at the {' '.join(words)} in {rng.choice(_PLACES).title()}."


def _caption(rng: random.Random) -> tuple[str, str]:
    """(caption text, credit as printed): one of the house styles, chosen at random."""
    text = _caption_text(rng)
    style = rng.randrange(6)
    if style == 0:
        return text, f"(Source: {rng.choice(_OUTLETS)})"
    if style == 1:
        return text, f"Photo: {rng.choice(_AGENCIES[:4])} / {_name(rng)}"
    if style == 2:
        return text, f"Photograph: {_name(rng)}/{rng.choice(_AGENCIES[:4])}"
    if style == 3:
        return text, f"REUTERS/{_name(rng)}/File Photo"
    if style == 4:
        return text, f"(Supplied: {_name(rng)})"
    return text, f"Photo: {rng.choice(('RNZ', 'Stuff'))} / {_name(rng)}"


def _date_line(rng: random.Random, moment: datetime) -> str:
    style = rng.randrange(4)
    hour12 = moment.hour % 12 or 12
    ampm = "am" if moment.hour < 12 else "pm"
    if style == 0:
        return f"{hour12}:{moment:%M} {ampm} on {moment.day} {moment:%B %Y}"
    if style == 1:
        return f"{moment:%a} {moment.day} {moment:%b %Y %H.%M} {rng.choice(_ZONES)}"
    if style == 2:
        later = moment + timedelta(hours=rng.randint(1, 6))
        return (
            f"Posted {moment.day} {moment:%B %Y}, {hour12}:{moment:%M}{ampm}, updated "
            f"{later.day} {later:%B %Y}, {later.hour % 12 or 12}:{later:%M}"
            f"{'am' if later.hour < 12 else 'pm'}"
        )
    return f"{moment.day} {moment:%B %Y} {hour12}:{moment:%M} {ampm.upper()} {rng.choice(_ZONES)}"


class Article:
    """One synthetic article, written out in each kind's own conventions."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.index = index
        self.moment = datetime(2024, 1, 1) + timedelta(minutes=rng.randrange(0, 2 * 365 * 1440))
        self.title = _headline(rng)
        self.standfirst = _paragraph(rng) if rng.random() < 0.5 else None
        self.authors = [_name(rng) for _ in range(rng.choice((1, 1, 1, 2)))]
        self.role = rng.choice(_ROLES)
        self.byline_style = rng.randrange(3)
        self.wire = rng.choice(_WIRES) if rng.random() < 0.3 else None
        self.place = rng.choice(_PLACES)
        self.date_line = _date_line(rng, self.moment)
        target = rng.randint(3000, 8000)
        self.paragraphs: list[str] = []
        while sum(len(p) + 2 for p in self.paragraphs) < target:
            self.paragraphs.append(_paragraph(rng))
        self.figures = [
            (rng.randint(1, len(self.paragraphs) - 1), *_caption(rng))
            for _ in range(rng.randint(1, 4))
        ]
        self.chrome = rng.sample(_CHROME, 2)
        self.topics = rng.sample(_TOPICS, rng.randint(1, 4))
        self.outlet = rng.choice(_OUTLETS)
        self.slug = f"{self.moment:%Y/%m/%d}/story-{index:06d}"

    def byline(self) -> str:
        names = " and ".join(self.authors)
        if self.byline_style == 0:
            return f"By {names}"
        if self.byline_style == 1:
            return f"By {self.authors[0]}, {self.outlet}"
        return f"{self.authors[0]}, {self.role}"

    def text(self) -> str:
        out = [self.chrome[0], self.title]
        if self.standfirst:
            out.append(self.standfirst)
        out += [self.byline(), self.date_line, self.chrome[1]]
        paragraphs = list(self.paragraphs)
        if self.wire:
            paragraphs[0] = (
                f"{self.place}, {self.moment:%B} {self.moment.day} ({self.wire}) - " + paragraphs[0]
            )
        for n, paragraph in enumerate(paragraphs):
            out.append(paragraph)
            out += [f"{caption} {credit}" for at, caption, credit in self.figures if at == n]
            if n == len(paragraphs) // 2:
                out.append("Advertisement")
        if self.wire == "Reuters":
            out.append(f"Reporting by {self.authors[0]}; Editing by {_LAST[self.index % 13]}")
        out.append(f"Topics: {', '.join(self.topics)}")
        out.append(f"© {self.moment.year} {self.outlet}")
        out += ["More Stories", _headline(random.Random(self.index)), "Read the latest"]
        return "\n\n".join(out) + "\n"

    def html(self) -> str:
        url = f"https://news.example/{self.slug}/"
        body = []
        for n, paragraph in enumerate(self.paragraphs):
            body.append(f"<p>{escape(paragraph)}</p>")
            for at, caption, credit in self.figures:
                if at == n:
                    image = f"https://news.example/images/{self.index:06d}-{n}.jpg"
                    body.append(
                        f'<figure><img src="{image}" alt="">'
                        f"<figcaption>{escape(caption)} {escape(credit)}</figcaption>"
                        "</figure>"
                    )
        meta = "\n".join(
            [
                '<meta property="og:type" content="article">',
                f'<meta property="og:title" content="{escape(self.title)}">',
                f'<meta property="og:url" content="{url}">',
                '<meta property="article:published_time"'
                f' content="{self.moment:%Y-%m-%dT%H:%M}:00Z">',
                *(f'<meta property="article:tag" content="{t}">' for t in self.topics),
                f'<meta name="author" content="{escape(self.authors[0])}">',
            ]
        )
        return (
            f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(self.title)} - News</title>\n{meta}\n</head>\n<body>\n"
            '<div class="share-bar"><button>Share</button></div>\n<article>\n'
            f"<h1>{escape(self.title)}</h1>\n"
            f'<div class="byline">{escape(self.byline())}</div>\n'
            + "\n".join(body)
            + f"\n</article>\n<footer>© {self.moment.year} {self.outlet}</footer>\n"
            + "</body>\n</html>\n"
        )

    def markdown(self) -> str:
        front = [
            "---",
            f'title: "{self.title}"',
            f"date: {self.moment:%Y-%m-%dT%H:%M}:00+13:00",
            "authors:",
            *(f"  - {a}" for a in self.authors),
            f"tags: [{', '.join(self.topics)}]",
            f"canonicalURL: https://news.example/{self.slug}/",
            "---",
            "",
        ]
        body = []
        for n, paragraph in enumerate(self.paragraphs):
            body.append(paragraph)
            for at, caption, credit in self.figures:
                if at == n:
                    body.append(
                        f"![{caption}](/images/{self.index:06d}-{n}.jpg)\n*{caption} {credit}*"
                    )
        return "\n".join(front) + "\n\n".join(body) + "\n"


def writer(kind: str) -> Callable[[Article], str]:
    return {"text": Article.text, "html": Article.html, "markdown": Article.markdown}[kind]


def source_dir(out: Path, n: int, kind: str) -> Path:
    return out / str(n) / kind


def generate(n: int, out: Path, kinds: tuple[str, ...], seed: int = SEED) -> dict[str, Path]:
    """Write n articles of each kind (skipping a complete set already there); kind -> folder."""
    folders = {}
    for kind in kinds:
        folder = source_dir(out, n, kind)
        folders[kind] = folder
        done = folder / ".complete"
        if done.exists() and done.read_text() == f"{n} {seed}\n":
            continue
        render = writer(kind)
        rng = random.Random(f"{seed}:{n}")  # the same articles for every kind
        for i in range(n):
            path = folder / f"{i // 1000:03d}" / f"article-{i:06d}.{SUFFIXES[kind]}"
            if i % 1000 == 0:
                path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(Article(rng, i)), encoding="utf-8")
        done.write_text(f"{n} {seed}\n")
    return folders


def available_kinds() -> tuple[str, ...]:
    """The kinds this checkout can read: text always, html and markdown once their readers exist."""
    from feedwright.sources import KINDS

    return tuple(k for k in SUFFIXES if k in KINDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="+", help="how many articles (e.g. 1000 10000)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--kinds", default=None, help="comma-separated kinds (default: every kind with a reader)"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    kinds = tuple(args.kinds.split(",")) if args.kinds else available_kinds()
    unknown = set(kinds) - set(SUFFIXES)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    for n in args.n:
        for kind, folder in generate(n, args.out, kinds, args.seed).items():
            print(f"{n} {kind}: {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
