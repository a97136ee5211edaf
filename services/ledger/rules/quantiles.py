"""A mergeable turnaround histogram whose quantiles stay within 0.5% of NumPy's.

Values fall into logarithmic buckets (the DDSketch mapping) so every bucket's
representative is within ``ACCURACY`` of any value in it. Quantiles interpolate
linearly between the estimates of the two ranks NumPy's default method uses, so
the answer is within ``ACCURACY`` of ``numpy.quantile(values, q)`` for any count.
Buckets are plain JSON (``{"zero": n, "<index>": n}``) and merge by adding counts.
"""

import math
from collections.abc import Iterable, Mapping

ACCURACY = 0.005
_GAMMA = (1 + ACCURACY) / (1 - ACCURACY)
_LOG_GAMMA = math.log(_GAMMA)
ZERO = "zero"

Histogram = dict[str, int]


def bucket_of(value: float) -> str:
    """The bucket key for a non-negative value."""
    if value <= 0:
        return ZERO
    return str(math.ceil(math.log(value) / _LOG_GAMMA))


def add(histogram: Histogram, value: float) -> None:
    key = bucket_of(value)
    histogram[key] = histogram.get(key, 0) + 1


def merge(histograms: Iterable[Mapping[str, int]]) -> Histogram:
    merged: Histogram = {}
    for histogram in histograms:
        for key, count in histogram.items():
            merged[key] = merged.get(key, 0) + count
    return merged


def quantile(histogram: Mapping[str, int], q: float) -> float | None:
    """NumPy's linear quantile, estimated; None for an empty histogram."""
    ordered = sorted(histogram.items(), key=lambda item: _order(item[0]))
    total = sum(count for _, count in ordered)
    if total == 0:
        return None
    rank = q * (total - 1)
    low = math.floor(rank)
    low_value = _value_at(ordered, low)
    high_value = _value_at(ordered, min(low + 1, total - 1))
    return low_value + (rank - low) * (high_value - low_value)


def _order(key: str) -> float:
    return -math.inf if key == ZERO else int(key)


def _value_at(ordered: list[tuple[str, int]], rank: int) -> float:
    seen = 0
    for key, count in ordered:
        seen += count
        if rank < seen:
            return _representative(key)
    raise IndexError(rank)


def _representative(key: str) -> float:
    if key == ZERO:
        return 0.0
    return 2 * _GAMMA ** int(key) / (_GAMMA + 1)
