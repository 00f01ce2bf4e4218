"""
The languages of the site, all from settings.LANGUAGES: Django's i18n does
the rest. Reader URLs carry the language (i18n_patterns in config/urls.py,
LocaleMiddleware activates it); elsewhere (the admin, e-mails) a person's
preferred language wins over the browser's Accept-Language.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware import locale
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def choices() -> list[tuple[str, str]]:
    """The languages to choose from (a callable: a new language needs no migration)."""
    return list(settings.LANGUAGES)


def default() -> str:
    """The site's default language, for new content."""
    return settings.LANGUAGE_CODE


def reverse_in(language: str, viewname: str, **kwargs) -> str:
    """
    The path of a reader URL in a language, whatever language is active:
    reverse() prefixes i18n_patterns with the active language.
    """
    with translation.override(language):
        return reverse(viewname, **kwargs)


def preferred_language(user) -> str:
    """The language a person chose for the admin and e-mails, or "" for none."""
    preferences = getattr(user, "preferences", None) if user is not None else None
    if preferences is None or preferences.language not in dict(settings.LANGUAGES):
        return ""
    return preferences.language


class LocaleMiddleware(locale.LocaleMiddleware):
    """
    Django's LocaleMiddleware, except that a 404 stays a 404. Django answers
    a missing address without a language prefix with a redirect to it under
    the language (/x/ to /en/x/), and any /en/<slug>/ could be a category or
    a page: every unknown address, /wp-json/ error and probe would become a
    redirect to a 404. Old addresses are articles/redirects.py's business.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and not translation.get_language_from_path(
            request.path_info
        ):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


class PreferredLanguageMiddleware:
    """
    Outside the reader URLs (whose prefix says the language), activate the
    language a signed-in person chose; without a choice LocaleMiddleware's
    (from the browser's Accept-Language) stays. After AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if translation.get_language_from_path(request.path_info) is None:
            user = getattr(request, "user", None)
            language = (
                preferred_language(user) if user and user.is_authenticated else ""
            )
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
