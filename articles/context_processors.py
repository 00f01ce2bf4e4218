from django.conf import settings
from django.utils import translation


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        # Views of a language-prefixed URL pass their own page_language.
        "page_language": translation.get_language() or settings.LANGUAGE_CODE,
    }
