"""One error type for the whole library, carrying the exit code scripts rely on.

Every public error derives from `FeedwrightError` and says, as a class attribute, which exit code
it means (the way click's exceptions carry theirs). The command line turns any of them into its
message and code in one place (cli._Commands.invoke, which also gives 130 at Ctrl-C and 141
when standard output's reader has gone), so no command keeps a table of codes of its own.

Each error class lives beside the code that raises it (config.ConfigError, ledger.LedgerError,
sources.SourceError, ...); this module imports nothing of the project, so any module can use it.
"""

from __future__ import annotations

from typing import ClassVar

# Exit codes scripts can rely on.
EXIT_OK = 0
EXIT_REJECTED = 1  # a source or a document was rejected
EXIT_USAGE = 2  # usage or configuration error (an unreadable state or input too)
EXIT_LOCKED = 75  # another build holds the lock (EX_TEMPFAIL: try again later)
EXIT_PIPE = 141  # the output pipe closed early (`| head`): as a shell shows SIGPIPE
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT): as a shell shows it


class FeedwrightError(Exception):
    """Base of every error feedwright raises on purpose. str() is the whole message, naming the
    file, the place and the reason."""

    exit_code: ClassVar[int] = EXIT_REJECTED

    def messages(self) -> list[str]:
        """What to show the user, one line each, the summary last."""
        return [str(self)]


class UsageError(FeedwrightError, ValueError):
    """Options or settings that cannot work together (raised by the library, shown as usage)."""

    exit_code: ClassVar[int] = EXIT_USAGE
