"""
Gather what the SEO analysis needs about a saved article (this is where the
queries are) and store the resulting score on the article.

An article is compared with the published articles: its internal links must
lead to one, and its SEO title, description and focus keyphrase must not be
another's. One article asks the database (QueriedSite); scoring thousands at
once reads the published articles once (PublishedSite), so that the work
grows with the number of articles, not with its square.
"""

import dataclasses
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from articles import seo_analysis, seo_workers, site_settings
from articles.models import Article, Page

# Articles read and scored per round: their prefetches stay small.
SCORE_CHUNK_SIZE = 200
# Starting worker processes costs about a second: fewer articles are scored here.
PARALLEL_MIN_ARTICLES = 500


def _content_address(path):
    """
    Return ("article", language, category, slug) when path may be an
    article's address, ("page", language, path) when it may only be a
    page's, None when it is another kind of page (an archive), and raise
    Resolver404 when nothing answers.
    """
    # The prefix resolves under its own language only (i18n_patterns).
    language = translation.get_language_from_path(path)
    with translation.override(language or settings.LANGUAGE_CODE):
        match = resolve(path)
    kwargs = match.kwargs
    if match.url_name == "detail":
        return ("article", language, kwargs["category"], kwargs["slug"])
    if match.url_name == "page":
        return ("page", language, kwargs["path"])
    return None


def _first_keyphrase(article):
    keyphrases = article.focus_keyphrase_list
    return keyphrases[0].casefold() if keyphrases else ""


def _keyphrase_set(focus_keyphrases):
    return {
        phrase.strip().casefold()
        for phrase in focus_keyphrases.split(",")
        if phrase.strip()
    }


class _Site:
    def broken_internal_links(self, paths):
        """Return the internal paths that nothing answers or no published content answers."""
        broken = []
        for path in dict.fromkeys(paths):
            try:
                address = _content_address(path)
            except Resolver404:
                broken.append(path)
                continue
            if address is not None and not self._answers(address):
                broken.append(path)
        return tuple(broken)

    def _answers(self, address):
        if address[0] == "page":
            return self.has_page(*address[1:])
        _kind, language, category, slug = address
        return self.has_article(language, category, slug) or self.has_page(
            language, f"{category}/{slug}"
        )

    def has_article(self, language, category, slug):
        raise NotImplementedError

    def has_page(self, language, path):
        raise NotImplementedError


class QueriedSite(_Site):
    """The published articles as the database answers for one article."""

    def has_article(self, language, category, slug):
        return (
            Article.objects.published()
            .filter(language=language, slug=slug)
            .filter(
                Q(primary_category__slug=category)
                | Q(**{f"primary_category__translations__{language}__slug": category})
            )
            .exists()
        )

    def has_page(self, language, path):
        return Page.objects.published().filter(language=language, path=path).exists()

    def duplicates(self, article):
        others = Article.objects.published().exclude(pk=article.pk)
        found = []
        if article.seo_title and others.filter(seo_title=article.seo_title).exists():
            found.append("seo_title")
        if (
            article.meta_description
            and others.filter(meta_description=article.meta_description).exists()
        ):
            found.append("meta_description")
        phrase = _first_keyphrase(article)
        if phrase:
            candidates = others.exclude(focus_keyphrases="")
            if phrase.isascii():
                # Databases fold the case of ASCII letters alike; other
                # letters ("É", "ß") are compared here, in Python, only.
                candidates = candidates.filter(focus_keyphrases__icontains=phrase)
            if any(
                phrase in _keyphrase_set(other)
                for other in candidates.values_list("focus_keyphrases", flat=True)
            ):
                found.append("focus_keyphrase")
        return tuple(found)


class PublishedSite(_Site):
    """
    The addresses, SEO titles, descriptions and keyphrases of every
    published article, read in one query (read()): what comparing thousands
    of articles with the site needs.
    """

    def __init__(
        self,
        *,
        addresses=frozenset(),
        seo_titles=None,
        descriptions=None,
        keyphrases=None,
        published_pks=frozenset(),
        page_addresses=frozenset(),
    ):
        self.addresses = addresses
        self.page_addresses = page_addresses
        self.seo_titles = seo_titles or Counter()
        self.descriptions = descriptions or Counter()
        self.keyphrases = keyphrases or Counter()
        self.published_pks = published_pks

    @classmethod
    def read(cls):
        addresses, published_pks = set(), set()
        seo_titles, descriptions, keyphrases = Counter(), Counter(), Counter()
        rows = Article.objects.published().values_list(
            "pk",
            "language",
            "primary_category__slug",
            "primary_category__translations",
            "slug",
            "seo_title",
            "meta_description",
            "focus_keyphrases",
        )
        for pk, language, category, names, slug, title, description, phrases in rows:
            published_pks.add(pk)
            # The category's slug in the article's language, as its URL has it.
            category = ((names or {}).get(language) or {}).get("slug") or category
            addresses.add((language, category, slug))
            seo_titles[title] += 1
            descriptions[description] += 1
            keyphrases.update(_keyphrase_set(phrases))
        return cls(
            addresses=frozenset(addresses),
            seo_titles=seo_titles,
            descriptions=descriptions,
            keyphrases=keyphrases,
            published_pks=frozenset(published_pks),
            page_addresses=frozenset(
                Page.objects.published().values_list("language", "path")
            ),
        )

    def has_article(self, language, category, slug):
        return (language, category, slug) in self.addresses

    def has_page(self, language, path):
        return (language, path) in self.page_addresses

    def duplicates(self, article):
        # The article itself is among the counted when it is published.
        own = 1 if article.pk in self.published_pks else 0
        found = []
        if article.seo_title and self.seo_titles[article.seo_title] > own:
            found.append("seo_title")
        if (
            article.meta_description
            and self.descriptions[article.meta_description] > own
        ):
            found.append("meta_description")
        phrase = _first_keyphrase(article)
        if phrase:
            own_lists_it = own and phrase in _keyphrase_set(article.focus_keyphrases)
            if self.keyphrases[phrase] > (1 if own_lists_it else 0):
                found.append("focus_keyphrase")
        return tuple(found)


def draft_for(article, *, site=None, soup=None, reference_count=None):
    """
    The analysis's input for an article, compared with site (by default,
    queried); soup is the article's body parsed, when it is. An article
    being edited, maybe never saved, brings its form's reference_count.
    """
    if site is None:
        site = QueriedSite()
    return with_links_checked(
        _draft(article, site=site, reference_count=reference_count),
        site=site,
        soup=soup,
    )


def _draft(article, *, site, reference_count=None):
    """The draft with its internal links not checked yet: that takes a parse, which a worker may do."""
    if reference_count is None:
        reference_count = article.references.count()
    return seo_analysis.Draft(
        title=article.title,
        body=article.body,
        slug=article.slug,
        seo_title=article.seo_title,
        meta_description=article.meta_description,
        excerpt=article.excerpt,
        keyphrases=tuple(article.focus_keyphrase_list),
        featured_image_alt=(
            article.featured_image_alt_text if article.featured_image_id else None
        ),
        site_url=settings.SITE_URL,
        title_pattern=settings.SEO_TITLE_PATTERN,
        site_name=site_settings.current().name,
        reference_count=reference_count,
        has_reviewer=article.reviewer_id is not None,
        last_reviewed_on=article.last_reviewed_on,
        today=timezone.localdate(),
        review_interval_days=settings.MEDICAL_REVIEW_INTERVAL_DAYS,
        duplicates=site.duplicates(article),
    )


def with_links_checked(draft, *, site, soup=None):
    internal, _external = seo_analysis.link_paths(
        draft.body, site_url=draft.site_url, soup=soup
    )
    return dataclasses.replace(
        draft, broken_internal_links=site.broken_internal_links(internal)
    )


def score_draft(draft, *, site):
    """Check a draft's links and analyse it, parsing its body once for both."""
    soup = seo_analysis.parse(draft.body)
    return seo_analysis.analyse(
        with_links_checked(draft, site=site, soup=soup), soup=soup
    ).score


def analyse_article(article, *, site=None, reference_count=None):
    soup = seo_analysis.parse(article.body)
    return seo_analysis.analyse(
        draft_for(article, site=site, soup=soup, reference_count=reference_count),
        soup=soup,
    )


def update_score(article):
    """Analyse a saved article and store its score, without touching updated_at."""
    analysis = analyse_article(article)
    Article.objects.filter(pk=article.pk).update(seo_score=analysis.score)
    article.seo_score = analysis.score
    return analysis


def update_scores(pks, *, workers=None):
    """
    Analyse the articles with these primary keys and store their scores,
    without touching updated_at; return how many were scored. Many articles
    are parsed and checked by worker processes (by default one per CPU),
    while this process reads them and stores the scores.
    """
    pks = list(pks)
    site = PublishedSite.read()
    if workers is None:
        workers = seo_workers.usable_cpu_count()
    pool = None
    if workers > 1 and len(pks) >= PARALLEL_MIN_ARTICLES:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=seo_workers.start,
            initargs=(site.addresses,),
        )
    scored = 0
    try:
        for start in range(0, len(pks), SCORE_CHUNK_SIZE):
            articles = list(
                Article.objects.select_related("featured_image")
                .prefetch_related("references")
                .filter(pk__in=pks[start : start + SCORE_CHUNK_SIZE])
            )
            drafts = [_draft(article, site=site) for article in articles]
            scores = (
                pool.map(seo_workers.score, drafts, chunksize=10)
                if pool is not None
                else (score_draft(draft, site=site) for draft in drafts)
            )
            for article, score in zip(articles, scores, strict=True):
                article.seo_score = score
            Article.objects.bulk_update(articles, ["seo_score"])
            scored += len(articles)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return scored
