"""When and how long the client waits before sending a failed request again.

What is retried (see ``TelnyxClient`` for the single loop that applies this):

* never-sent failures (connect error/timeout, no free pooled connection): always;
* 429 Too Many Requests and 503 Service Unavailable: always, since Telnyx turned the request
  away without acting on it; the ``Retry-After`` header is honoured (capped);
* ambiguous failures, where the request may have reached Telnyx and acted (500/502/504,
  read/write timeouts, a dropped connection mid-request): only when the operation is
  *replay-safe*, i.e. a GET/PUT/PATCH/DELETE, a command carrying a ``command_id`` (Telnyx drops
  a repeat of the same ``command_id``), or a POST that only sets state (mute, hold, queue
  ``max_size``). Creating a queue or an application, or playing audio to a conference, is not
  retried after an ambiguous failure: the operator sees the error and decides, rather than
  the client creating two resources or playing the prompt twice.

Attempts are bounded by ``max_attempts`` and the whole operation by ``max_total`` seconds
(a retry whose wait would overrun the budget is not made).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, bounded in attempts and in total time.

    ``max_attempts`` counts the first try (1 disables retries). The n-th retry waits a random
    time in ``[d/2, d]`` with ``d = min(max_delay, base_delay * 2**(n-1))`` ("equal jitter", so
    clients that failed together do not retry in lock-step). A ``Retry-After`` from Telnyx
    replaces the computed wait, capped at ``max_retry_after``.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_total: float = 30.0
    max_retry_after: float = 30.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_total < 0:
            raise ValueError("delays must not be negative")

    @classmethod
    def disabled(cls) -> RetryPolicy:
        return cls(max_attempts=1)

    def backoff(self, retry_number: int) -> float:
        """Wait before retry number ``retry_number`` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * (2.0 ** (retry_number - 1)))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def delay_for(self, retry_number: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_retry_after)
        return self.backoff(retry_number)
