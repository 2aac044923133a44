"""CSV downloads: one writer for every export, with spreadsheet formulas neutralised."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse

# A spreadsheet runs a cell starting with these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"
_R = TypeVar("_R", bound=HttpResponseBase)


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def lines(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The header, then each row, as CSV text with every cell neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def stream(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """A streamed CSV attachment, for exports that may run to many rows."""
    streamed = StreamingHttpResponse(lines(header, rows), content_type=CONTENT_TYPE)
    return _attachment(streamed, filename)


def response(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A CSV attachment built in memory, for short exports such as a report."""
    return _attachment(HttpResponse(lines(header, rows), content_type=CONTENT_TYPE), filename)


def _attachment(response: _R, filename: str) -> _R:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Patient data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response
