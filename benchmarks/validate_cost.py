"""Where validation time goes, per format, in one process (issue 12): the parse alone, the
parse plus each entry's RELAX NG check, and the whole validation, interleaved; then one
instrumented validation giving each rule function's own CPU time (its callees' subtracted).

    python benchmarks/validate_cost.py DATA/10000 [--rounds 3] [--shared]

DATA/10000 is what `benchmarks/run.py --only emit --data DATA` leaves: feed.pickle (the 10,000
normalised entries, emitted here in each round, as the build emits them) and documents/ with
bench.rss, bench.atom and bench.json (validated). `--shared` validates the three with one
ContentChecks, as the build does (html the formats share checked once). CPU seconds
(time.process_time): the machine is shared. The instrumented run's total is larger than the
plain one (a timer around every call); its shares are the claim, not its seconds.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from lxml import etree

FORMATS = ("rss", "atom", "json")


def parse_only(data: bytes, fmt: str) -> None:
    """The streaming parse validate.core does, each entry cleared as it ends, and nothing else."""
    from feedwright.validate.xmlcommon import NS_ATOM, PARSER_OPTIONS

    tag = "item" if fmt == "rss" else f"{{{NS_ATOM}}}entry"
    pull = etree.XMLPullParser(events=("end",), tag=tag, **PARSER_OPTIONS)
    for start in range(0, len(data), 1 << 20):
        pull.feed(data[start:start + (1 << 20)])
        for _, element in pull.read_events():
            cast(Any, element).clear(keep_tail=True)
    pull.close()


def parse_and_schema(data: bytes, fmt: str) -> None:
    """The parse and each entry's RELAX NG check, nothing else."""
    from feedwright.validate.xmlcommon import NS_ATOM, PARSER_OPTIONS, relaxng

    schema = relaxng("rss.rng" if fmt == "rss" else "atom.rng")
    tag = "item" if fmt == "rss" else f"{{{NS_ATOM}}}entry"
    pull = etree.XMLPullParser(events=("end",), tag=tag, **PARSER_OPTIONS)
    for start in range(0, len(data), 1 << 20):
        pull.feed(data[start:start + (1 << 20)])
        for _, element in pull.read_events():
            schema.validate(element)
            cast(Any, element).clear(keep_tail=True)
    pull.close()


def validate(data: bytes, fmt: str, content: Any = None, document: Any = None) -> None:
    from feedwright.validate import validate_document

    report = validate_document(data, fmt, content=content, document=document)
    assert report.ok, report.errors[:3]


def cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


# --- the instrumented run ----------------------------------------------------------------------

class Clock:
    """Each wrapped function's own CPU time: the time inside it less that of wrapped callees."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[float] = []  # time spent in wrapped callees, per open frame

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append(0.0)
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                inner = self._stack.pop()
                self.own[name] += elapsed - inner
                self.calls[name] += 1
                if self._stack:
                    self._stack[-1] += elapsed
        return timed


def instrument(clock: Clock) -> None:
    """Wrap every function and method of the validator's modules, wherever it is bound."""
    import importlib

    names = ("core", "xmlcommon", "rss", "atom", "values", "dates", "content", "history",
             "jsonfeed", "cross")
    modules = [importlib.import_module(f"feedwright.validate.{n}") for n in names]
    originals: dict[int, Callable[..., Any]] = {}
    classes: set[int] = set()
    for module in modules:
        for value in vars(module).values():
            if inspect.isfunction(value) and value.__module__.startswith("feedwright.validate"):
                originals[id(value)] = value
            elif inspect.isclass(value) and value.__module__.startswith(
                    "feedwright.validate") and id(value) not in classes:
                classes.add(id(value))
                for method_name, method in vars(value).items():
                    if inspect.isfunction(method):
                        setattr(value, method_name, clock.wrap(
                            f"{value.__module__.rsplit('.', 1)[1]}.{value.__name__}."
                            f"{method_name}", method))
    wrapped = {key: clock.wrap(f"{fn.__module__.rsplit('.', 1)[1]}.{fn.__name__}", fn)
               for key, fn in originals.items()}
    for module in modules:
        for attr, value in list(vars(module).items()):
            if id(value) in wrapped and originals[id(value)] is value:
                setattr(module, attr, wrapped[id(value)])
    # libxml2's parts, named apart from the Python around them
    from feedwright.validate import xmlcommon

    real = xmlcommon.relaxng

    def relaxng(name: str) -> Any:
        return _TimedSchema(real(name), clock)
    xmlcommon.relaxng = relaxng  # type: ignore[assignment]
    for module in modules:
        if getattr(module, "relaxng", None) is real:
            module.relaxng = relaxng  # type: ignore[attr-defined]


class _TimedSchema:
    def __init__(self, schema: etree.RelaxNG, clock: Clock) -> None:
        self._schema, self.error_log = schema, schema.error_log
        self.validate = clock.wrap("libxml2 RELAX NG (schema.validate)", schema.validate)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shared", action="store_true")
    args = parser.parse_args()
    import pickle

    from feedwright.emit import Shared, emit_document
    from feedwright.validate import ContentChecks

    data = {fmt: (args.data / "documents" / f"bench.{fmt}").read_bytes() for fmt in FORMATS}
    with (args.data / "feed.pickle").open("rb") as handle:
        feed = pickle.load(handle)
    times: dict[str, list[float]] = defaultdict(list)
    emitted: dict[str, Any] = {}
    for _ in range(args.rounds):
        records = Shared()
        for fmt in FORMATS:
            start = time.process_time()
            emitted[fmt] = emit_document(feed, fmt, records)
            times[f"{fmt} emit"].append(time.process_time() - start)
        shared = ContentChecks() if args.shared else None
        for fmt in FORMATS:
            if fmt != "json":
                times[f"{fmt} parse"].append(cpu(functools.partial(parse_only, data[fmt], fmt)))
                times[f"{fmt} parse+relaxng"].append(
                    cpu(functools.partial(parse_and_schema, data[fmt], fmt)))
            # as the build does it: a JSON Feed's object as the emitter made it, not its bytes
            times[f"{fmt} validate"].append(cpu(functools.partial(
                validate, data[fmt], fmt, shared, emitted[fmt].document)))
    how = "one ContentChecks for the three" if args.shared else "each its own ContentChecks"
    print(f"CPU s, median of {args.rounds} rounds ({how}):")
    for name, values in times.items():
        median = statistics.median(values)
        emit = statistics.median(times[f"{name.split()[0]} emit"])
        print(f"  {name:24} {median:6.2f}  {median / emit:5.2f}x emit   "
              f"({', '.join(f'{v:.2f}' for v in values)})")
    clock = Clock()
    instrument(clock)
    shared = ContentChecks() if args.shared else None
    for fmt in FORMATS:
        clock.own.clear()
        clock.calls.clear()
        total = cpu(functools.partial(validate, data[fmt], fmt, shared,
                                      emitted[fmt].document))
        print(f"\n{fmt}: instrumented validation {total:.2f} s; own CPU s by function "
              "(core._validate_xml's own time is the parse)")
        for name, own in sorted(clock.own.items(), key=lambda kv: -kv[1])[:25]:
            print(f"  {own:6.3f} {100 * own / total:5.1f}%  {clock.calls[name]:>7}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
