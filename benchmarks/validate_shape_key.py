"""What a per-entry-shape cache of the schema's verdict would cost (issue 12's lever, not taken).

    python benchmarks/validate_shape_key.py DATA/10000/documents [--entries 2000]

DATA/10000/documents is what `benchmarks/run.py --only emit --data DATA` leaves (bench.rss and
bench.atom). For the first entries of each, CPU microseconds an entry of: libxml2's RELAX NG
check of the entry alone (what the validator runs, validate.xmlcommon.schema_issues), and the
cheapest key a sound cache could use: each element's name, its attributes' names and whether it
and its tail hold text (a sound key needs the constrained values too, so costs more). A cache
pays only if the key is much cheaper than the check it saves.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from feedwright.validate.xmlcommon import NS_ATOM, PARSER_OPTIONS, relaxng


def shape_key(entry: etree._Element) -> tuple[object, ...]:
    return tuple((element.tag, tuple(element.attrib.keys()),
                  bool(element.text and not element.text.isspace()),
                  bool(element.tail and not element.tail.isspace()))
                 for element in entry.iter())


def first_entries(path: Path, tag: str, count: int) -> list[etree._Element]:
    entries: list[etree._Element] = []
    with path.open("rb") as handle:
        head = io.BytesIO(handle.read(64 << 20))
    for _, element in etree.iterparse(head, tag=tag, **PARSER_OPTIONS):
        entries.append(element)
        if len(entries) >= count:
            break
    return entries


def per_entry_us(entries: list[etree._Element], check: Callable[[etree._Element], object],
                 rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for entry in entries:
            check(entry)
        best = min(best, time.process_time() - start)
    return best / len(entries) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("documents", type=Path)
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()
    for fmt, tag, schema in (("rss", "item", "rss.rng"),
                             ("atom", f"{{{NS_ATOM}}}entry", "atom.rng")):
        entries = first_entries(args.documents / f"bench.{fmt}", tag, args.entries)
        rng = relaxng(schema)
        check = per_entry_us(entries, rng.validate)
        key = per_entry_us(entries, lambda entry: hash(shape_key(entry)))
        print(f"{fmt}: {len(entries)} entries; RELAX NG {check:.1f} us an entry, "
              f"shape key {key:.1f} us ({key / check:.2f}x)")


if __name__ == "__main__":
    main()
