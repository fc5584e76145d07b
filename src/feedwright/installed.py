"""The installed version of a distribution, as importlib.metadata.version gives it, for the
reading digest (pipeline.gather.reading_digest) of every build, without importing
importlib.metadata where it need not be: with the email parser, zip support and
importlib.resources it brings, that import is ~15 ms of a cron no-op that wants three version
strings. (A build that reads nothing must stay cheap: docs/performance.md.)

The common layout is read here: the first sys.path folder holding a distribution of that name
holds one `NAME-VERSION.dist-info` folder whose METADATA has a plain `Version:` header. Anything
else (an .egg-info, a zip or .egg on the path, two distributions in one folder, a folded or
missing header, a meta path finder with distributions of its own) is importlib.metadata's to
answer, so the answer is always the one it gives (tests/test_installed.py compares the two).
"""

from __future__ import annotations

import os
import re
import sys
from importlib.machinery import PathFinder

_SEPARATORS = re.compile(r"[-_.]+")
#: A header's name, as the email parser's headerRE has it (printable ASCII but the colon).
_LABEL = re.compile(r"[\041-\071\073-\176]+")


def installed_version(name: str) -> str:
    """importlib.metadata.version(name); raises its PackageNotFoundError when none is installed."""
    return _dist_info_version(name) or _metadata_version(name)


def _metadata_version(name: str) -> str:
    import importlib.metadata

    return importlib.metadata.version(name)


def _normalized(name: str) -> str:
    """importlib.metadata's Prepared.normalize: PEP 503, with underscores."""
    return _SEPARATORS.sub("-", name).lower().replace("-", "_")


def _dist_info_version(name: str) -> str | None:
    """The version the way importlib.metadata finds it, when the layout is the common one; else
    None (then importlib.metadata is asked)."""
    if any(finder is not PathFinder and hasattr(finder, "find_distributions")
           for finder in sys.meta_path):
        return None
    wanted = _normalized(name)
    for entry in sys.path:
        folder = entry or "."
        try:
            children = os.listdir(folder)
        except OSError:
            if os.path.exists(folder):
                return None  # a zip file: importlib.metadata looks inside
            continue
        if os.path.basename(folder).lower().endswith(".egg"):
            return None  # an egg's own egg-info
        # importlib.metadata's Lookup: the name is what comes before the first dash.
        found = [child for child in children
                 if child.lower().endswith((".dist-info", ".egg-info"))
                 and _normalized(child.lower().rpartition(".")[0].partition("-")[0]) == wanted]
        if not found:
            continue
        if len(found) > 1 or not found[0].lower().endswith(".dist-info"):
            return None
        return _version_header(os.path.join(folder, found[0], "METADATA"))
    return None


def _version_header(path: str) -> str | None:
    """The Version header of a METADATA file as the email parser reads it (compat32: the value
    after the colon, leading blanks stripped), or None for anything less plain."""
    try:
        with open(path, encoding="utf-8") as handle:  # universal newlines, as read_text
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if not line:
            return None  # the headers end without one
        label, colon, value = line.partition(":")
        if not colon or not _LABEL.fullmatch(label):
            return None  # a folded header, or a line the email parser reads its own way
        if label.lower() == "version":
            following = lines[number + 1] if number + 1 < len(lines) else ""
            if following[:1] in (" ", "\t"):
                return None  # folded onto the next line
            return value.lstrip(" \t")
    return None
