"""
The exported site's name and tagline (the WXR channel's title and
description) as the site settings, on the first import only: once the row
exists, it is the editors'.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from articles import publishing
from articles.importers.wordpress.load.outcomes import Outcome
from articles.importers.wordpress.sources import WordPressSite
from articles.models import SiteSettings

TITLE = "site settings"


def import_site_identity(site: WordPressSite, *, dry_run: bool = False) -> Outcome:
    """Create the site settings from the exported site, unless they exist."""
    if SiteSettings.objects.filter(site_id=settings.SITE_ID).exists():
        return Outcome(
            action="skipped",
            title=TITLE,
            reason="the site has its settings already: they are left as they are",
        )
    identity = SiteSettings(
        site_id=settings.SITE_ID,
        # Until the row exists the environment names the site: an export
        # without a title keeps that name.
        name=site.name[:200] or settings.SITE_NAME,
        tagline=site.tagline[:300],
    )
    with transaction.atomic():
        publishing.save_object(identity, user=None)
        if dry_run:
            transaction.set_rollback(True)
    return Outcome(
        action="created",
        title=f"{TITLE}: {identity.name}",
        reason="dry run, nothing saved" if dry_run else "",
    )
