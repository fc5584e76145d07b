"""WebSub (W3C Recommendation): telling a feed's hubs that its documents changed.

After a build publishes a changed document, each hub the feed names gets one form POST per
changed document, ``hub.mode=publish`` and ``hub.url=`` the document's self url (the topic), the
publish request hubs have accepted since PubSubHubbub 0.3. A hub answers 2xx when it takes it.

A hub that fails is reported, never fatal: the documents are already published and readers that
poll still get them. Each request has the client's timeout; a 5xx, 429, timeout or lost
connection is tried again a bounded number of times with a growing pause; a 4xx is an answer,
not a hiccup, so it is not retried. A hub that cannot be reached at all is not asked again about
the other documents in the same run, so a dead hub costs one url's retries, not every url's.

The HTTP client and the pause are passed in: this module holds no connection, clock or config.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

#: Per request: a hub that takes longer than this is counted as failed and tried again.
DEFAULT_TIMEOUT = 10.0
DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF = 1.0  # seconds before the second attempt, doubled before each later one


@dataclass(frozen=True)
class Notice:
    """What one hub said about one topic."""

    hub: str
    topic: str
    ok: bool
    attempts: int  # requests sent; 0 when the hub was skipped as unreachable this run
    status: int | None = None  # the last HTTP status, when there was one
    error: str | None = None

    def __str__(self) -> str:
        if self.ok:
            return f"{self.hub}: notified of {self.topic}"
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        return f"{self.hub}: not notified of {self.topic}{tries}: {self.error}"

    def to_json(self) -> dict[str, object]:
        return {"hub": self.hub, "topic": self.topic, "ok": self.ok, "attempts": self.attempts,
                "status": self.status, "error": self.error}


def default_client() -> httpx.Client:
    """A client for hubs: the default timeout, no redirects (a publish POST is not re-sent)."""
    return httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=False,
                        headers={"User-Agent": "feedwright (WebSub publisher)"})


@dataclass(frozen=True)
class Notifier:
    """Sends publish notifications through a client the caller owns (and closes)."""

    client: httpx.Client
    attempts: int = DEFAULT_ATTEMPTS
    backoff: float = DEFAULT_BACKOFF
    sleep: Callable[[float], None] = time.sleep

    def publish(self, hubs: Sequence[str], topics: Sequence[str]) -> list[Notice]:
        """Tell every hub about every topic; one Notice per (hub, topic), in that order."""
        notices: list[Notice] = []
        for hub in hubs:
            unreachable: str | None = None
            for topic in topics:
                if unreachable is not None:
                    notices.append(Notice(hub, topic, False, 0,
                                          error=f"not tried: {unreachable}"))
                    continue
                notice = self._notify(hub, topic)
                notices.append(notice)
                if not notice.ok and notice.status is None:
                    unreachable = f"the hub did not answer ({notice.error})"
        return notices

    def _notify(self, hub: str, topic: str) -> Notice:
        form = {"hub.mode": "publish", "hub.url": topic}
        status: int | None = None
        error = ""
        for attempt in range(1, self.attempts + 1):
            if attempt > 1:
                self.sleep(self.backoff * 2 ** (attempt - 2))
            try:
                response = self.client.post(hub, data=form)
            except httpx.TimeoutException:
                status, error = None, f"no answer within {_timeout(self.client)}"
                continue
            except httpx.HTTPError as exc:
                status, error = None, _transport_reason(exc)
                continue
            status = response.status_code
            if response.is_success:
                return Notice(hub, topic, True, attempt, status)
            error = f"HTTP {status} {response.reason_phrase}".rstrip()
            if not _worth_retrying(status):
                return Notice(hub, topic, False, attempt, status, error)
        return Notice(hub, topic, False, self.attempts, status, error)


def _worth_retrying(status: int) -> bool:
    return status >= 500 or status in (408, 429)


def _timeout(client: httpx.Client) -> str:
    seconds = client.timeout.read
    return f"{seconds:g} s" if seconds is not None else "the time limit"


def _transport_reason(exc: httpx.HTTPError) -> str:
    return str(exc) or type(exc).__name__
