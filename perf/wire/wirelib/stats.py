"""Order statistics for small samples: nearest-rank percentiles, as in most ping/latency reports."""
import math


def percentile(values, q):
    """The nearest-rank q-quantile (q in [0, 1]) of values; NaN for an empty sample."""
    if not values:
        return math.nan
    s = sorted(values)
    rank = max(1, math.ceil(q * len(s)))
    return s[rank - 1]


def median(values):
    if not values:
        return math.nan
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def mean(values):
    return sum(values) / len(values) if values else math.nan


def load_average():
    """The 1, 5 and 15 minute load averages of the machine."""
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]
