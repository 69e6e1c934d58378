"""The one place where a value becomes a CSV cell: every CSV the studio writes
(export manifest and ad-platform sheets, analytics) goes through `cell`.

A spreadsheet runs a cell whose text starts with =, +, -, @ (and, in some programs,
a tab or a carriage return) as a formula: copy such as "=HYPERLINK(...)" accepted
through a copy edit would run on the desk of whoever opens the export. Text cells
that start with one of those characters get a leading apostrophe, the prefix
spreadsheets read as "this is text" (OWASP, "CSV Injection"). Numbers are written as
numbers: a negative score is data, not a formula.
"""

from __future__ import annotations

import csv
import numbers
from collections.abc import Iterable, Mapping
from typing import IO, Any

# ASCII triggers plus their fullwidth forms, which some spreadsheet locales fold to ASCII.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell(value: Any) -> str:
    """A value as a CSV cell that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, numbers.Number):  # int, float, Decimal
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def row(values: Iterable[Any]) -> list[str]:
    return [cell(v) for v in values]


class DictWriter(csv.DictWriter):
    """csv.DictWriter whose every cell goes through `cell` (the header too: writeheader
    calls writerow)."""

    def writerow(self, rowdict: Mapping[str, Any]):
        return super().writerow({k: cell(v) for k, v in rowdict.items()})


class Writer:
    """csv.writer whose every cell goes through `cell`."""

    def __init__(self, handle: IO[str], **kwargs: Any):
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, values: Iterable[Any]):
        return self._writer.writerow(row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)
