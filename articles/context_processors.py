from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from articles import menus, site_settings


def site(request):
    """
    What every page's frame shows: the site's identity and its menus, read
    only by the pages that show them (lazily), once per content version.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    identity = SimpleLazyObject(site_settings.current)
    return {
        "site_settings": identity,
        "site_name": SimpleLazyObject(lambda: identity.name),
        "site_url": settings.SITE_URL,
        # Views of a language-prefixed URL pass their own page_language.
        "page_language": language,
        "menus": SimpleLazyObject(lambda: menus.for_language(language)),
    }
