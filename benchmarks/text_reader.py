"""The text reader's own cost: CPU per source, and a digest of everything it read.

    python benchmarks/generate.py 1000 --kinds text          # sources in benchmarks/data
    python benchmarks/text_reader.py benchmarks/data/1000/text
    python benchmarks/text_reader.py FOLDER --against /tmp/before/src --rounds 5

Every `*.txt` under the folders is read as ``--kind text`` (bytes loaded first, so the figure
is the reader's: decoding, finding the article, building the entry; not the disk, not the JSON
that `inspect` prints). Each round runs in a fresh process. With ``--against SRC`` (a source
tree of another commit, e.g. ``git archive COMMIT src | tar -x -C /tmp/before``) the two trees
alternate round by round, so both see the same machine; the claim is the minimum over rounds.
The digest covers every entry as `feedwright inspect` would print it: two trees with the same
digest read every source byte for byte the same. With ``--warm DIR`` each round first reads
DIR's sources, untimed (e.g. 300 other generated ones), so the figure is the steady state: what
a reading worker pays a source once its one-time costs (the stoplists, compiling the credit
patterns) are behind it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(folders: list[str], warm_from: str | None = None) -> None:
    """One round in this process: print CPU ms per source and the digest."""
    from feedwright.model import Entry
    from feedwright.serialise import entry_to_json
    from feedwright.sources import read
    from feedwright.sources.base import Retrieved, SourceError

    files = sorted(f for folder in folders for f in Path(folder).rglob("*.txt"))
    sources = [(str(f), f.read_bytes()) for f in files]
    warm = b"A headline to warm up\n\nA first paragraph, so that every module is imported.\n"
    read(Retrieved("warm.txt", warm), kind="text")
    for path in sorted(Path(warm_from).rglob("*.txt")) if warm_from else ():
        read(Retrieved(str(path), path.read_bytes()), kind="text")
    results: list[tuple[Entry, ...] | str] = []
    start = time.process_time()
    for location, data in sources:
        try:
            results.append(read(Retrieved(location, data), kind="text"))
        except SourceError as error:
            results.append(str(error))
    cpu = time.process_time() - start
    digest = hashlib.sha256()
    for result in results:
        text = result if isinstance(result, str) else "\n".join(map(entry_to_json, result))
        digest.update(text.encode() + b"\0")
    print(f"{len(sources)} {1000 * cpu / max(1, len(sources)):.3f} {digest.hexdigest()[:16]}")


def round_with(
    tree: str | None, folders: list[str], warm_from: str | None
) -> tuple[int, float, str]:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = tree  # ahead of the installed package
    warm = ["--warm", warm_from] if warm_from else []
    command = [sys.executable, str(Path(__file__)), "--worker", *warm, *folders]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    count, ms, digest = out.split()
    return int(count), float(ms), digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--against", help="another source tree (its src folder) to compare")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", help="a folder of sources read first in each round, untimed")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        measure(args.folders, args.warm)
        return
    sides: dict[str, str | None] = {"this tree": None}
    if args.against:
        sides = {"against": args.against, "this tree": None}
    rounds: dict[str, list[tuple[int, float, str]]] = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, tree in sides.items():
            rounds[name].append(round_with(tree, args.folders, args.warm))
    for name, results in rounds.items():
        times = [ms for _, ms, _ in results]
        digests = sorted({digest for _, _, digest in results})
        print(
            f"{name}: {results[0][0]} sources, CPU per source min {min(times):.2f} ms,"
            f" median {statistics.median(times):.2f} ms; digest {', '.join(digests)}"
        )


if __name__ == "__main__":
    main()
