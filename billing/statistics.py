"""The first-response-time histogram: fixed buckets, so a day's row holds a few hundred bytes and the
median / p90 of any range of days is a sum of arrays, never a scan of messages.

Resolution (a bucket's width): 1 s up to 30 s, 5 s up to 2 min, 30 s up to 10 min, 2 min up to 1 h,
30 min up to 24 h; everything slower falls in one last bucket. A percentile is reported as the upper
edge of the bucket that holds it ("half the first replies came within N seconds")."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable


def _edges() -> list[int]:
    edges: list[int] = []
    for upto, step in ((30, 1), (120, 5), (600, 30), (3600, 120), (86400, 1800)):
        start = edges[-1] if edges else 0
        edges.extend(range(start + step, upto + 1, step))
    return edges


# The upper edge (exclusive) of each bucket, in seconds; the last bucket is "a day or more".
FIRST_RESPONSE_EDGES: list[int] = _edges()
BUCKETS = len(FIRST_RESPONSE_EDGES) + 1


def bucket_of(seconds: float) -> int:
    """The 0-based bucket `seconds` falls in ([edge k-1, edge k))."""
    return bisect.bisect_right(FIRST_RESPONSE_EDGES, max(seconds, 0))


def bucket_upper(bucket: int) -> int | None:
    """The bucket's upper edge in seconds (None: the open last bucket)."""
    return FIRST_RESPONSE_EDGES[bucket] if bucket < len(FIRST_RESPONSE_EDGES) else None


def histogram_sum(histograms: Iterable[list[int | None]]) -> list[int]:
    total = [0] * BUCKETS
    for histogram in histograms:
        for index, count in enumerate(histogram):
            total[index] += count or 0
    return total


def histogram_percentile(histogram: list[int], share: float) -> int | None:
    """The upper edge of the bucket holding the `share` (0.5: median) percentile, by the nearest-rank
    method (the ⌈share·n⌉-th smallest value); None without data. The last bucket reports its lower
    edge (a day)."""
    count = sum(histogram)
    if not count:
        return None
    rank = max(1, math.ceil(share * count))
    seen = 0
    for bucket, in_bucket in enumerate(histogram):
        seen += in_bucket
        if seen >= rank:
            upper = bucket_upper(bucket)
            return upper if upper is not None else FIRST_RESPONSE_EDGES[-1]
    return None
