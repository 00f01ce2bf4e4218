"""
Write WordPress posts, pages and menus into the site's tables, keyed on the
WordPress id: importing again updates what changed in WordPress and leaves
everything else alone. Every article written goes through
articles/publishing, one by one or, for speed, recorded a batch at a time;
pages, menus and the site settings one by one.
"""

from articles.importers.wordpress.load.batches import BATCH_SIZE, import_items
from articles.importers.wordpress.load.outcomes import ACTIONS, Outcome
from articles.importers.wordpress.load.plan import IMPORTER_VERSION, fingerprint
from articles.importers.wordpress.load.write import import_post

__all__ = [
    "ACTIONS",
    "BATCH_SIZE",
    "IMPORTER_VERSION",
    "Outcome",
    "fingerprint",
    "import_items",
    "import_post",
]
