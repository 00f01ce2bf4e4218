"""
The worker processes that score many articles at once
(seo_scoring.update_scores): they parse and check drafts while the main
process reads the next ones. Spawned processes import this module before
Django is set up, so it imports nothing of the project at the top.
"""

from __future__ import annotations

import os

_site = None


def usable_cpu_count() -> int:
    """The CPUs this process may use (os.sched_getaffinity is Linux only)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def start(addresses: frozenset[tuple[str, str, str]]) -> None:
    """Set up Django (for URL resolving) and the site's published addresses."""
    import django

    django.setup()
    from articles.seo_scoring import PublishedSite

    global _site
    _site = PublishedSite(addresses=addresses)


def score(draft) -> int:
    from articles.seo_scoring import score_draft

    return score_draft(draft, site=_site)
