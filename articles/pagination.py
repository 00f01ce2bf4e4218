"""
A listing's pages with its total counted once per content version.

Counting the articles of a listing reads every matching index entry, which
at 100,000 articles costs more than the rows shown; and the total only
changes when content does, which moves the version (articles/rendered.py).
The rows of each page are still read every time, by an index in order.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from articles import rendered


class CountedOncePaginator(Paginator):
    """
    count_key names what is counted; by default the query itself, which
    will not do for a reader's listing, whose "published by now" moment
    differs at every request.
    """

    def __init__(
        self, object_list, per_page, *, count_key: str | None = None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            sql, params = self.object_list.query.sql_with_params()
            key = f"{sql}:{params!r}"
        else:
            key = self.count_key
        return rendered.once(f"listing-count:{key}", self.object_list.count)
