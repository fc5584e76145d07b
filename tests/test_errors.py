"""One error type: every error feedwright raises on purpose derives from FeedwrightError and
carries the exit code the command line exits with."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import feedwright
from feedwright.errors import EXIT_LOCKED, EXIT_REJECTED, EXIT_USAGE, FeedwrightError


def _error_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(feedwright.__path__, "feedwright."):
        # modules whose import acts: runs the CLI; sets this process's Ctrl-C to kill it
        if info.name in ("feedwright.__main__", "feedwright.pipeline.forkserver_signals"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException)
                    and value.__module__ == info.name):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_error_class_of_the_package_derives_from_feedwright_error() -> None:
    classes = _error_classes()
    assert "feedwright.config.ConfigError" in classes  # the walk finds them where they live
    assert {name for name, cls in classes.items() if not issubclass(cls, FeedwrightError)} == set()


def test_each_error_carries_its_exit_code() -> None:
    from feedwright.config import ConfigError
    from feedwright.emit import EmitError
    from feedwright.export import InvalidDocument, SourcesRejected
    from feedwright.ledger import LedgerError
    from feedwright.normalise.text import DecodeError
    from feedwright.publish import Locked
    from feedwright.sources import SourceError
    from feedwright.sources.record import RecordProblem
    from feedwright.validate.reading import ReadError

    classes = (ConfigError, LedgerError, ReadError, Locked, SourceError, EmitError,
               InvalidDocument, SourcesRejected, DecodeError, RecordProblem)
    codes = {cls: cls.exit_code for cls in classes}
    assert codes == {ConfigError: EXIT_USAGE, LedgerError: EXIT_USAGE, ReadError: EXIT_USAGE,
                     Locked: EXIT_LOCKED, SourceError: EXIT_REJECTED, EmitError: EXIT_REJECTED,
                     InvalidDocument: EXIT_REJECTED, SourcesRejected: EXIT_REJECTED,
                     DecodeError: EXIT_REJECTED, RecordProblem: EXIT_REJECTED}
    # Older callers catch the value errors as ValueError still.
    assert issubclass(EmitError, ValueError) and issubclass(RecordProblem, ValueError)


def _feedwright(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "feedwright", *args], cwd=cwd,
                          capture_output=True, timeout=120)


def test_the_command_line_exits_with_the_code_the_error_carries(tmp_path: Path) -> None:
    bad_feed = tmp_path / "bad.toml"
    bad_feed.write_text('title = "x"\nlink = 3\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_bytes(b"\x00\x01\x02\x03" * 64)
    for args, code, says in [
        (["inspect", "--feed", str(bad_feed), str(article)], EXIT_USAGE, str(bad_feed)),
        (["inspect", str(tmp_path / "gone.txt")], EXIT_REJECTED, "no such file"),
        (["export", "--link", "https://example.org/", str(article)], EXIT_REJECTED, "a.txt"),
        (["validate", str(tmp_path)], EXIT_USAGE, "is a directory"),
    ]:
        result = _feedwright(*args, cwd=tmp_path)
        stderr = result.stderr.decode()
        assert result.returncode == code, (args, stderr)
        assert says in stderr and "Traceback" not in stderr, (args, stderr)
