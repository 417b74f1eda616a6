"""Timing pages in-process: warm-up, N requests, median/p95, query count and peak memory."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figures:
    """What one page (or action) measured."""

    median_ms: float
    p95_ms: float
    queries: int
    peak_mib: float
    status: int
    beside_median_ms: float | None = None  # the reference page, timed turn about with this one


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def measure(
    request: Callable[[], Any],
    *,
    runs: int,
    warmup: int = 2,
    beside: Callable[[], Any] | None = None,
) -> Figures:
    """Call `request` (one HTTP request) warm-up + `runs` times; one more under tracemalloc.

    With `beside` (a reference page), each timed request follows one of the reference, so
    both medians come from the same moments of a machine whose load changes.
    """
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = None
    for _ in range(warmup):
        response = request()
    samples, references = [], []
    for _ in range(runs):
        if beside is not None:
            references.append(_timed(beside))
        began = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as captured:
        request()
    queries = len(captured)  # read before the log is reset
    reset_queries()
    tracemalloc.start()
    request()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    status = getattr(response, "status_code", 0)
    reference = statistics.median(references) if references else None
    return Figures(statistics.median(samples), p95(samples), queries, peak, status, reference)


def _timed(request: Callable[[], Any]) -> float:
    began = time.perf_counter()
    request()
    return (time.perf_counter() - began) * 1000


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, columns padded for reading in a terminal."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])
