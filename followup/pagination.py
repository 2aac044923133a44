"""Long lists a page at a time (patients, the archive, the audit log), with links that keep the
search the user typed."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import QueryDict

PAGE_SIZE = 50


def paginate(params: QueryDict, rows: Any) -> tuple[Page[Any], str]:
    """The page of `rows` that `params` ask for, and the other parameters for its neighbours."""
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return page, query.urlencode()
