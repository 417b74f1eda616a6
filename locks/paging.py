"""Paging that never counts: fetch one row more than a page to know whether another follows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

# Deep offsets cost as much as the rows they skip: past this page, people should filter.
MAX_PAGE = 1000


@dataclass(frozen=True)
class UncountedPage:
    """One page of rows with Previous/Next but no total (a COUNT(*) of millions is slow)."""

    object_list: Sequence[Any]
    number: int
    per_page: int
    has_next: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        """The 1-based position of the page's first row (0 when it is empty)."""
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def page_number(text: str | None) -> int:
    """The page asked for in a query string; 1 for anything that is not a sane number."""
    if text and text.isdigit():
        return min(max(int(text), 1), MAX_PAGE)
    return 1


def uncounted_page(rows: Any, number: int | str | None, per_page: int) -> UncountedPage:
    """Page `number` of an ordered queryset (or list): one query of per_page + 1 rows."""
    number = number if isinstance(number, int) else page_number(number)
    start = (number - 1) * per_page
    fetched = list(rows[start : start + per_page + 1])
    return UncountedPage(
        object_list=fetched[:per_page],
        number=number,
        per_page=per_page,
        has_next=len(fetched) > per_page,
    )
