"""
What a page tells search engines and social networks: its title,
description, canonical URL, robots rule, OpenGraph and Twitter tags, feed
links and one JSON-LD @graph.

Pure: no queries (the view passes an article with its parts prefetched) and
no request (absolute URLs come from the absolute_url callable). The template
includes/seo_head.html only prints a PageMeta.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from articles import languages, richtext, timestamps
from articles.sanitize import safe_url

# Google shows about 155 to 160 characters of a description.
DESCRIPTION_LENGTH = 160
# Google's guidance for Article.headline: at most 110 characters.
HEADLINE_LENGTH = 110
DEFAULT_ROBOTS = "index, follow, max-image-preview:large"

AbsoluteUrl = Callable[[str], str]

# The same escapes as django.utils.html.json_script: no text can close the
# <script> element or open an HTML comment or entity inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class Organization:
    """Who publishes the site, for its JSON-LD: the editors' site settings."""

    type: str = "Organization"
    legal_name: str = ""
    street_address: str = ""
    postal_code: str = ""
    locality: str = ""
    country: str = ""
    telephone: str = ""
    email: str = ""
    specialties: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    name: str
    url: str
    title_pattern: str = "{title} – {site_name}"
    logo_url: str = ""
    language: str = "en"
    organization: Organization = field(default_factory=Organization)
    share_image_url: str = ""

    @classmethod
    def from_settings(cls) -> Site:
        """The site as its settings (the editors' and the environment's) describe it."""
        from django.conf import settings
        from django.templatetags.static import static

        from articles import site_settings

        identity = site_settings.current()
        logo = identity.logo.shared_copy()[0] if identity.logo else ""
        share = identity.share_image.shared_copy()[0] if identity.share_image else ""
        return cls(
            name=identity.name,
            url=settings.SITE_URL.rstrip("/"),
            title_pattern=settings.SEO_TITLE_PATTERN,
            logo_url=logo or settings.SEO_LOGO_URL or static("favicon.svg"),
            language=settings.LANGUAGE_CODE,
            organization=Organization(
                type=identity.organization_type,
                legal_name=identity.legal_name,
                street_address=identity.street_address,
                postal_code=identity.postal_code,
                locality=identity.locality,
                country=identity.country,
                telephone=identity.telephone,
                email=identity.email,
                specialties=tuple(identity.specialties),
                same_as=tuple(identity.profile_urls),
            ),
            share_image_url=share,
        )

    def absolute_url(self, path_or_url: str) -> str:
        """Return an absolute URL; absolute URLs pass unchanged."""
        return urljoin(self.url + "/", path_or_url)


@dataclass(frozen=True)
class FeedLink:
    type: str
    title: str
    url: str


@dataclass(frozen=True)
class Alternate:
    """The same page in another language: <link rel="alternate" hreflang>."""

    hreflang: str
    url: str


# Open Graph wants a locale (language_TERRITORY). Most languages are named
# after the territory of the same code (nl → nl_NL, de → de_DE); these are
# the ones whose most likely territory has another code.
LIKELY_TERRITORIES = {
    "en": "US",
    "da": "DK",
    "el": "GR",
    "ja": "JP",
    "ko": "KR",
    "sv": "SE",
    "uk": "UA",
    "zh": "CN",
    "cs": "CZ",
    "he": "IL",
}


def og_locale(language: str) -> str:
    """The Open Graph locale of a language code: en → en_US, nl → nl_NL, pt-br → pt_BR."""
    code, _sep, territory = language.replace("_", "-").partition("-")
    territory = territory or LIKELY_TERRITORIES.get(code, code)
    return f"{code.lower()}_{territory.upper()}"


def og_locales(languages: Iterable[str]) -> dict[str, str]:
    """Each language's Open Graph locale, e.g. for the codes of settings.LANGUAGES."""
    return {language: og_locale(language) for language in languages}


def alternates(urls: dict[str, str], *, default_language: str) -> tuple[Alternate, ...]:
    """
    The hreflang links of a page that exists in the languages of urls
    (absolute URLs, the page's own included): one per language, and
    x-default for the default language's version. None for a page in one
    language only: it has no alternates to announce.
    """
    if len(urls) < 2:
        return ()
    links = [Alternate(language, urls[language]) for language in sorted(urls)]
    if default_language in urls:
        links.append(Alternate("x-default", urls[default_language]))
    return tuple(links)


def locale_tags(language: str, others: Iterable[str]) -> list[tuple[str, str]]:
    """og:locale and an og:locale:alternate per other language."""
    return [("og:locale", og_locale(language))] + [
        ("og:locale:alternate", og_locale(other))
        for other in sorted(set(others) - {language})
    ]


def translation_links(
    content: Any, translations: Iterable[Any], *, absolute_url: AbsoluteUrl
) -> dict[str, Any]:
    """
    schema.org's links between translations: the original (the first
    written of the group) names its workTranslation(s), each translation
    the translationOfWork it translates. Only live texts are passed in.
    """
    translations = list(translations)
    if not translations:
        return {}
    group = sorted(
        [content, *translations], key=lambda text: (text.created_at, text.pk)
    )
    original = group[0]

    def node_id(text: Any) -> dict[str, str]:
        return {"@id": absolute_url(text.get_absolute_url()) + "#webpage"}

    if original.pk == content.pk:
        return {"workTranslation": [node_id(text) for text in group[1:]]}
    return {"translationOfWork": node_id(original)}


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical_url: str
    robots: str
    # (property, content) pairs: a property such as article:tag may repeat.
    opengraph: tuple[tuple[str, str], ...]
    json_ld: dict
    twitter: tuple[tuple[str, str], ...] = ()
    language: str = "en"
    feeds: tuple[FeedLink, ...] = field(default_factory=tuple)
    # hreflang: every language the page is in, itself included, and x-default.
    alternates: tuple[Alternate, ...] = ()

    @property
    def json_ld_script(self) -> SafeString:
        return json_ld_script(self.json_ld)


def page_title(title: str, *, site: Site) -> str:
    return site.title_pattern.format(title=title, site_name=site.name)


def trim_description(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """Collapse white space and cut at the last word boundary within length."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"


def robots_rule(*, noindex: bool = False, nofollow: bool = False) -> str:
    if not noindex and not nofollow:
        return DEFAULT_ROBOTS
    return ", ".join(
        ["noindex" if noindex else "index", "nofollow" if nofollow else "follow"]
    )


def json_ld_script(graph: dict) -> SafeString:
    """Return a <script type="application/ld+json"> element no content can break out of."""
    data = json.dumps(graph, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(  # noqa: S308 - every <, > and & is escaped above
        '<script type="application/ld+json">'
        + data.translate(_JSON_SCRIPT_ESCAPES)
        + "</script>"
    )


def _iso(value: Any) -> str:
    return timestamps.iso8601(value)


def modified(content: Any) -> Any:
    """The updated date readers see (changes of meaning only), else the publish date."""
    return content.public_updated_at or content.published_at


def organization_node(site: Site, absolute_url: AbsoluteUrl) -> dict:
    organization = site.organization
    node: dict[str, Any] = {
        "@type": organization.type,
        "@id": f"{site.url}/#organization",
        "name": site.name,
        "url": f"{site.url}/",
    }
    if site.logo_url:
        node["logo"] = {
            "@type": "ImageObject",
            "@id": f"{site.url}/#logo",
            "url": absolute_url(site.logo_url),
        }
    if organization.legal_name:
        node["legalName"] = organization.legal_name
    address = {
        "streetAddress": organization.street_address,
        "postalCode": organization.postal_code,
        "addressLocality": organization.locality,
        "addressCountry": organization.country,
    }
    if any(address.values()):
        node["address"] = {
            "@type": "PostalAddress",
            **{key: value for key, value in address.items() if value},
        }
    if organization.telephone:
        node["telephone"] = organization.telephone
    if organization.email:
        node["email"] = organization.email
    if organization.specialties and organization.type != "Organization":
        # medicalSpecialty belongs to MedicalOrganization and its kinds.
        node["medicalSpecialty"] = list(organization.specialties)
    if organization.same_as:
        node["sameAs"] = list(organization.same_as)
    return node


def website_node(site: Site, *, language: str) -> dict:
    search_url = site.url + languages.reverse_in(language, "articles:search")
    return {
        "@type": "WebSite",
        "@id": f"{site.url}/#website",
        "url": f"{site.url}/",
        "name": site.name,
        "publisher": {"@id": f"{site.url}/#organization"},
        "inLanguage": language,
        # schema.org's form of a site search: the placeholder is filled in
        # by whoever searches, so it is not URL-encoded here.
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{search_url}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def person_node(
    author: Any,
    *,
    language: str,
    absolute_url: AbsoluteUrl,
    with_profile: bool = False,
) -> dict:
    """A person; with_profile adds what their own page shows (photo, bio)."""
    url = absolute_url(author.get_absolute_url(language))
    node: dict[str, Any] = {
        "@type": "Person",
        "@id": f"{url}#person",
        "name": author.display_name,
        "url": url,
    }
    if with_profile:
        if author.photo is not None and author.photo.shared_copy()[0]:
            node["image"] = absolute_url(author.photo.shared_copy()[0])
        if author.bio:
            node["description"] = trim_description(richtext.plain_text(author.bio))
        node["worksFor"] = {"@id": f"{absolute_url('/').rstrip('/')}/#organization"}
    if author.credentials:
        # schema.org: "An honorific suffix following a Person's name such as M.D./PhD".
        node["honorificSuffix"] = author.credentials
    if author.job_title:
        node["jobTitle"] = author.job_title
    if safe_url(author.website):
        node["sameAs"] = [author.website]
    return node


def citation_node(reference: Any) -> dict:
    node: dict[str, Any] = {"@type": "CreativeWork", "name": reference.title}
    if reference.link:
        node["url"] = reference.link
    if reference.authors:
        node["author"] = reference.authors
    if reference.publisher:
        node["publisher"] = {"@type": "Organization", "name": reference.publisher}
    if reference.year:
        node["datePublished"] = str(reference.year)
    identifiers = []
    if reference.doi:
        identifiers.append(f"doi:{reference.doi}")
    if reference.pubmed_id:
        identifiers.append(f"pmid:{reference.pubmed_id}")
    if identifiers:
        node["identifier"] = identifiers
    return node


def breadcrumb_node(
    page_url: str, crumbs: Iterable[tuple[str, str]], absolute_url: AbsoluteUrl
) -> dict:
    return {
        "@type": "BreadcrumbList",
        "@id": f"{page_url}#breadcrumb",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(url),
            }
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def article_breadcrumbs(article: Any) -> list[tuple[str, str]]:
    category = article.shown_category
    crumbs = [
        (
            pgettext("breadcrumb", "Home"),
            languages.reverse_in(article.language, "articles:home"),
        )
    ]
    if category.parent_id:
        crumbs.append(
            (category.parent.name, category.parent.get_absolute_url(article.language))
        )
    crumbs.append((category.name, category.get_absolute_url(article.language)))
    crumbs.append((article.title, article.get_absolute_url()))
    return crumbs


def article_images(article: Any, absolute_url: AbsoluteUrl) -> list[dict]:
    """The featured image first, then the body's library images, without repeats."""
    images, seen = [], set()
    candidates = [(article.featured_image, article.featured_image_alt_text)]
    candidates += [(image, image.alt_text) for image in article.body_images.all()]
    for image, alt in candidates:
        if image is None or image.pk in seen:
            continue
        url, width, height = image.shared_copy()
        if not url:
            continue
        seen.add(image.pk)
        node: dict[str, Any] = {"@type": "ImageObject", "url": absolute_url(url)}
        if width and height:
            node["width"] = width
            node["height"] = height
        if alt:
            node["caption"] = alt
        images.append(node)
    return images


def article_description(article: Any) -> str:
    """
    The meta description, else the excerpt, else the opening paragraphs: a
    page without one lets search engines pick any text (and Lighthouse
    flags it). Imported posts often come without either.
    """
    return trim_description(
        article.meta_description
        or richtext.plain_text(article.excerpt)
        or richtext.paragraphs_text(article.body, at_least=DESCRIPTION_LENGTH)
    )


def article_graph(
    article: Any,
    *,
    site: Site,
    absolute_url: AbsoluteUrl,
    description: str,
    translations: Iterable[Any] = (),
) -> dict:
    page_url = absolute_url(article.get_absolute_url())
    language = article.language
    images = article_images(article, absolute_url)
    page_id, article_id = f"{page_url}#webpage", f"{page_url}#article"
    organization = {"@id": f"{site.url}/#organization"}

    webpage: dict[str, Any] = {
        # Every article of this site is health content, read as YMYL.
        "@type": "MedicalWebPage",
        "@id": page_id,
        "url": page_url,
        "name": article.seo_title or article.title,
        "description": description,
        "isPartOf": {"@id": f"{site.url}/#website"},
        "breadcrumb": {"@id": f"{page_url}#breadcrumb"},
        "inLanguage": language,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(modified(article)),
    }
    if images:
        webpage["primaryImageOfPage"] = images[0]
    if article.last_reviewed_on:
        webpage["lastReviewed"] = _iso(article.last_reviewed_on)
    webpage |= translation_links(article, translations, absolute_url=absolute_url)
    nodes: list[dict] = [
        organization_node(site, absolute_url),
        website_node(site, language=language),
        webpage,
    ]
    if article.reviewer_id:
        reviewer = person_node(
            article.reviewer, language=language, absolute_url=absolute_url
        )
        webpage["reviewedBy"] = {"@id": reviewer["@id"]}
        nodes.append(reviewer)

    tags = [tag.name for tag in article.tags.all()]
    node: dict[str, Any] = {
        "@type": "Article",
        "@id": article_id,
        "isPartOf": {"@id": page_id},
        "mainEntityOfPage": {"@id": page_id},
        "headline": trim_description(article.title, HEADLINE_LENGTH),
        "description": description,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(modified(article)),
        "publisher": organization,
        "articleSection": article.primary_category.name_in(language),
        "inLanguage": language,
        "wordCount": len(richtext.plain_text(article.body).split()),
    }
    if images:
        node["image"] = [image["url"] for image in images]
    if article.author_id:
        author = person_node(
            article.author, language=language, absolute_url=absolute_url
        )
        node["author"] = {"@id": author["@id"]}
        if not any(n.get("@id") == author["@id"] for n in nodes):
            nodes.append(author)
    keywords = list(dict.fromkeys([*article.focus_keyphrase_list, *tags]))
    if keywords:
        node["keywords"] = keywords
    citations = [citation_node(reference) for reference in article.references.all()]
    if citations:
        node["citation"] = citations
    nodes.append(node)

    faq_items = list(article.faq_items.all())
    if faq_items:
        nodes.append(
            {
                # Valid schema.org for readers and machines; Google no longer
                # shows FAQ rich results, so none is promised.
                "@type": "FAQPage",
                "@id": f"{page_url}#faq",
                "isPartOf": {"@id": page_id},
                "inLanguage": language,
                "mainEntity": [
                    {
                        "@type": "Question",
                        "@id": f"{page_url}#{item.anchor}",
                        "name": item.question,
                        "acceptedAnswer": {
                            "@type": "Answer",
                            "text": richtext.plain_text(item.answer),
                        },
                    }
                    for item in faq_items
                ],
            }
        )
    nodes.append(breadcrumb_node(page_url, article_breadcrumbs(article), absolute_url))
    return {"@context": "https://schema.org", "@graph": nodes}


def numbered_title(title: str, number: int) -> str:
    """The title of a page past the first of a list, e.g. “Health – page 2”."""
    return gettext("%(title)s – page %(number)d") % {"title": title, "number": number}


def site_feeds(*, language: str) -> list[FeedLink]:
    return [
        FeedLink(
            "application/rss+xml",
            "RSS",
            languages.reverse_in(language, "articles:feed"),
        ),
        FeedLink(
            "application/atom+xml",
            "Atom",
            languages.reverse_in(language, "articles:atom_feed"),
        ),
    ]


def content_alternates(
    content: Any, translations: Iterable[Any], *, site: Site, absolute_url: AbsoluteUrl
) -> tuple[Alternate, ...]:
    """The hreflang links of an article or page: its live translations and itself."""
    urls = {
        text.language: absolute_url(text.get_absolute_url())
        for text in [content, *translations]
    }
    return alternates(urls, default_language=site.language)


def article_meta(
    article: Any,
    *,
    site: Site,
    absolute_url: AbsoluteUrl,
    translations: Iterable[Any] = (),
) -> PageMeta:
    """
    Return the head of an article page; translations are its live
    translations (Article.live_translations()).
    """
    translations = list(translations)
    own_url = absolute_url(article.get_absolute_url())
    canonical = safe_url(article.canonical_url) or own_url
    description = article_description(article)
    title = article.seo_title or page_title(article.title, site=site)
    opengraph: list[tuple[str, str]] = [
        ("og:type", "article"),
        ("og:site_name", site.name),
        *locale_tags(article.language, (text.language for text in translations)),
        ("og:title", article.seo_title or article.title),
        ("og:description", description),
        ("og:url", canonical),
    ]
    twitter = [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", article.seo_title or article.title),
        ("twitter:description", description),
    ]
    image = article.featured_image
    shared_url, shared_width, shared_height = (
        image.shared_copy() if image is not None else ("", None, None)
    )
    if shared_url:
        image_url = absolute_url(shared_url)
        alt = article.featured_image_alt_text
        opengraph.append(("og:image", image_url))
        if shared_width and shared_height:
            opengraph += [
                ("og:image:width", str(shared_width)),
                ("og:image:height", str(shared_height)),
            ]
        if alt:
            opengraph.append(("og:image:alt", alt))
            twitter.append(("twitter:image:alt", alt))
        twitter.append(("twitter:image", image_url))
    opengraph += [
        ("article:published_time", _iso(article.published_at)),
        ("article:modified_time", _iso(modified(article))),
        ("article:section", article.primary_category.name_in(article.language)),
    ]
    opengraph += [("article:tag", tag.name) for tag in article.tags.all()]
    category = article.shown_category
    feeds = site_feeds(language=article.language)
    feeds.append(
        FeedLink(
            "application/rss+xml",
            f"{category.name} (RSS)",
            category.get_absolute_url(article.language) + "feed/",
        )
    )
    return PageMeta(
        title=title,
        description=description,
        canonical_url=canonical,
        robots=robots_rule(
            noindex=article.robots_noindex, nofollow=article.robots_nofollow
        ),
        opengraph=tuple(opengraph),
        twitter=tuple(twitter),
        json_ld=article_graph(
            article,
            site=site,
            absolute_url=absolute_url,
            description=description,
            translations=translations,
        ),
        language=article.language,
        feeds=tuple(absolute_feed(feed, absolute_url) for feed in feeds),
        alternates=content_alternates(
            article, translations, site=site, absolute_url=absolute_url
        ),
    )


def page_breadcrumbs(page: Any, ancestors: Iterable[Any]) -> list[tuple[str, str]]:
    """Home, then the parent pages from the top, then the page."""
    crumbs = [
        (
            pgettext("breadcrumb", "Home"),
            languages.reverse_in(page.language, "articles:home"),
        )
    ]
    crumbs += [(ancestor.title, ancestor.get_absolute_url()) for ancestor in ancestors]
    crumbs.append((page.title, page.get_absolute_url()))
    return crumbs


def page_description(page: Any) -> str:
    return trim_description(
        page.meta_description
        or richtext.plain_text(page.excerpt)
        or richtext.paragraphs_text(page.body, at_least=DESCRIPTION_LENGTH)
    )


def page_meta(
    page: Any,
    *,
    ancestors: Iterable[Any],
    site: Site,
    absolute_url: AbsoluteUrl,
    translations: Iterable[Any] = (),
) -> PageMeta:
    """
    Return the head of a site page (About, Contact, a policy): its own
    schema.org type (AboutPage, ContactPage, WebPage) about the organization.
    ancestors are its parent pages from the top, read by the caller, and
    translations its live translations (Page.live_translations()).
    """
    translations = list(translations)
    own_url = absolute_url(page.get_absolute_url())
    canonical = safe_url(page.canonical_url) or own_url
    description = page_description(page)
    name = page.seo_title or page.title
    webpage: dict[str, Any] = {
        "@type": page.page_type,
        "@id": f"{own_url}#webpage",
        "url": own_url,
        "name": name,
        "description": description,
        "isPartOf": {"@id": f"{site.url}/#website"},
        "about": {"@id": f"{site.url}/#organization"},
        "breadcrumb": {"@id": f"{own_url}#breadcrumb"},
        "inLanguage": page.language,
        "datePublished": _iso(page.published_at),
        "dateModified": _iso(modified(page)),
        **translation_links(page, translations, absolute_url=absolute_url),
    }
    opengraph: list[tuple[str, str]] = [
        ("og:type", "website"),
        ("og:site_name", site.name),
        *locale_tags(page.language, (text.language for text in translations)),
        ("og:title", name),
        ("og:description", description),
        ("og:url", canonical),
    ]
    twitter = [
        ("twitter:card", "summary"),
        ("twitter:title", name),
        ("twitter:description", description),
    ]
    image = page.featured_image
    url, width, height = image.shared_copy() if image is not None else ("", None, None)
    if url:
        image_node: dict[str, Any] = {"@type": "ImageObject", "url": absolute_url(url)}
        opengraph.append(("og:image", absolute_url(url)))
        if width and height:
            image_node |= {"width": width, "height": height}
            opengraph += [
                ("og:image:width", str(width)),
                ("og:image:height", str(height)),
            ]
        webpage["primaryImageOfPage"] = image_node
        twitter = [("twitter:card", "summary_large_image"), *twitter[1:]]
        twitter.append(("twitter:image", absolute_url(url)))
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            organization_node(site, absolute_url),
            website_node(site, language=page.language),
            webpage,
            breadcrumb_node(own_url, page_breadcrumbs(page, ancestors), absolute_url),
        ],
    }
    return PageMeta(
        title=page.seo_title or page_title(page.title, site=site),
        description=description,
        canonical_url=canonical,
        robots=robots_rule(noindex=page.robots_noindex, nofollow=page.robots_nofollow),
        opengraph=tuple(opengraph),
        twitter=tuple(twitter),
        json_ld=graph,
        language=page.language,
        feeds=tuple(
            absolute_feed(feed, absolute_url)
            for feed in site_feeds(language=page.language)
        ),
        alternates=content_alternates(
            page, translations, site=site, absolute_url=absolute_url
        ),
    )


def absolute_feed(feed: FeedLink, absolute_url: AbsoluteUrl) -> FeedLink:
    return FeedLink(feed.type, feed.title, absolute_url(feed.url))


def listing_meta(
    *,
    title: str | None,
    description: str,
    path: str,
    page_number: int,
    language: str,
    site: Site,
    absolute_url: AbsoluteUrl,
    feeds: Iterable[FeedLink] = (),
    noindex: bool = False,
    person: Any = None,
    language_paths: dict[str, str] | None = None,
) -> PageMeta:
    """
    Return the head of a list page: the home page or an archive. The
    archive of a person (an author, a reviewer) is their ProfilePage.
    language_paths are the same list's paths in every language (its own
    included), for hreflang.

    Pages past the first are thin copies of the first: they carry
    "noindex, follow", so search engines still follow their links to the
    articles but do not index the page itself. Each page stays its own
    canonical URL, as Google asks for paginated series. Search results
    have their own head, search_meta().
    """
    full_title = page_title(title, site=site) if title else site.name
    if page_number > 1:
        full_title = numbered_title(full_title, page_number)
        path = f"{path}?page={page_number}"
    canonical = absolute_url(path)
    description = trim_description(description)
    language_paths = language_paths or {}
    # Pages past the first are noindex: their alternates would point
    # search engines at pages they are asked not to index.
    listed_urls = (
        {code: absolute_url(other) for code, other in language_paths.items()}
        if page_number == 1
        else {}
    )
    webpage: dict[str, Any] = {
        "@type": "CollectionPage",
        "@id": f"{canonical}#webpage",
        "url": canonical,
        "name": full_title,
        "description": description,
        "isPartOf": {"@id": f"{site.url}/#website"},
        "inLanguage": language,
    }
    nodes = [
        organization_node(site, absolute_url),
        website_node(site, language=language),
        webpage,
    ]
    if person is not None:
        node = person_node(
            person, language=language, absolute_url=absolute_url, with_profile=True
        )
        webpage["@type"] = "ProfilePage"
        webpage["mainEntity"] = {"@id": node["@id"]}
        nodes.append(node)
    graph = {"@context": "https://schema.org", "@graph": nodes}
    all_feeds = [*site_feeds(language=language), *feeds]
    return PageMeta(
        title=full_title,
        description=description,
        canonical_url=canonical,
        robots=robots_rule(noindex=noindex or page_number > 1),
        opengraph=(
            ("og:type", "website"),
            ("og:site_name", site.name),
            *locale_tags(language, listed_urls),
            ("og:title", full_title),
            ("og:description", description),
            ("og:url", canonical),
        ),
        twitter=(("twitter:card", "summary"),),
        json_ld=graph,
        language=language,
        feeds=tuple(absolute_feed(feed, absolute_url) for feed in all_feeds),
        alternates=alternates(listed_urls, default_language=site.language),
    )


def search_meta(
    *,
    query: str,
    path: str,
    page_number: int,
    language: str,
    site: Site,
    absolute_url: AbsoluteUrl,
) -> PageMeta:
    """
    Return the head of a search results page: "noindex, follow" always,
    since a results page is no content of its own (search engines ask
    sites not to let them index one), and a SearchResultsPage in JSON-LD.
    """
    title = (
        gettext("Search results for “%(query)s”") % {"query": query}
        if query
        else gettext("Search")
    )
    full_title = page_title(title, site=site)
    if page_number > 1:
        full_title = numbered_title(full_title, page_number)
    canonical = absolute_url(path)
    description = trim_description(
        gettext("Search the articles of %(site)s.") % {"site": site.name}
    )
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            organization_node(site, absolute_url),
            website_node(site, language=language),
            {
                "@type": "SearchResultsPage",
                "@id": f"{canonical}#webpage",
                "url": canonical,
                "name": full_title,
                "isPartOf": {"@id": f"{site.url}/#website"},
                "inLanguage": language,
            },
        ],
    }
    return PageMeta(
        title=full_title,
        description=description,
        canonical_url=canonical,
        robots=robots_rule(noindex=True),
        opengraph=(
            ("og:type", "website"),
            ("og:site_name", site.name),
            ("og:locale", og_locale(language)),
            ("og:title", full_title),
            ("og:description", description),
            ("og:url", canonical),
        ),
        twitter=(("twitter:card", "summary"),),
        json_ld=graph,
        language=language,
        feeds=tuple(
            absolute_feed(feed, absolute_url) for feed in site_feeds(language=language)
        ),
    )
