"""
The editors' admin, one module per part of the site. Importing the package
registers every model admin.
"""

from articles.admin import (  # noqa: F401 - each module registers its admins
    articles,
    audit,
    images,
    pages,
    people,
    redirects,
    review,
    site,
    terms,
    users,
)
