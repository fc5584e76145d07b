"""What validating each written entry in an envelope would cost (issue 12, lever c), against
validating the whole document, CPU seconds in one process.

    python benchmarks/validate_fragments.py DATA/10000 [N]

DATA/10000/feed.pickle is what `benchmarks/run.py --only emit --data DATA` leaves. The first N
entries (default 3,000) are written as the build's reading workers write them
(`emit.entry_bytes`), and each envelope is the real document's head and tail around a batch of
them (`emit_document` with `Written`: the bytes the splice would publish for that batch). The
envelopes are made before the clock starts: only their validation is timed, with one
ContentChecks per format as a worker would hold. Printed: the whole document's validation, then
the sum over envelopes of 1, 10, 100 and 1,000 entries, and whether every verdict was ok.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
import time
from pathlib import Path


def main() -> int:
    from feedwright.emit import Shared, Written, emit_document, entry_bytes
    from feedwright.validate import ContentChecks, validate_document

    data = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    with (data / "feed.pickle").open("rb") as handle:
        feed = pickle.load(handle)
    feed = dataclasses.replace(feed, entries=feed.entries[:n])
    for fmt in ("rss", "atom"):
        shared = Shared()
        parts = tuple(entry_bytes(entry, fmt, shared) for entry in feed.entries)
        whole = emit_document(feed, fmt, Shared()).data
        start = time.process_time()
        ok = validate_document(whole, fmt, content=ContentChecks()).ok
        line = f"{fmt}, {n:,} entries: whole document {time.process_time() - start:.2f} s ({ok})"
        for size in (1, 10, 100, 1000):
            envelopes = [emit_document(feed, fmt, None, Written(parts[i:i + size], None)).data
                         for i in range(0, len(parts), size)]
            checks = ContentChecks()
            start = time.process_time()
            ok = all([validate_document(envelope, fmt, content=checks).ok
                      for envelope in envelopes])
            line += f"; envelopes of {size}: {time.process_time() - start:.2f} s ({ok})"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
