import re

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles import imaging, language_switch, richtext, timestamps

register = template.Library()

# The `sizes` of each slot an image is drawn in, matching static/css/site.css:
# the reading column is 44rem wide at most, cards are a third of 72rem.
SIZES = {
    "hero": "(max-width: 46rem) 100vw, 44rem",
    "body": "(max-width: 46rem) calc(100vw - 2rem), 44rem",
    "card": "(max-width: 40rem) calc(100vw - 2rem), (max-width: 64rem) 50vw, 22rem",
    "avatar": "4rem",
    "logo": "3rem",
}


# The crop each slot draws (see imaging.CROPS); "" keeps the whole picture.
SLOT_CROPS = {"hero": "", "body": "", "card": "3:2", "avatar": "1:1", "logo": ""}
MODERN_FORMATS = ("avif", "webp")


def srcset(candidates):
    return ", ".join(f"{url} {width}w" for url, width in candidates)


def remote_sources(image):
    """An imported image still on its old site: its own resized copies."""
    candidates = sorted(
        image.source_renditions or [], key=lambda candidate: candidate["width"]
    )
    return {
        "src": image.url,
        "srcset": srcset((c["url"], c["width"]) for c in candidates),
        "width": image.width,
        "height": image.height,
    }


def rendition_sources(image, crop):
    """
    The <source>s and <img> of an uploaded image, from its prefetched
    renditions. Until they exist, the original file is served as it is.
    """
    chosen = image.renditions_for(crop=crop)
    placeholder = next(
        (
            r
            for r in chosen
            if r.width <= imaging.PLACEHOLDER_WIDTH < (image.width or 0)
        ),
        None,
    )
    chosen = [r for r in chosen if r is not placeholder]
    if not chosen:
        return {
            "src": image.url,
            "srcset": "",
            "width": image.width,
            "height": image.height,
        }
    by_format = {}
    for rendition in chosen:
        by_format.setdefault(rendition.format, []).append(rendition)
    fallback = next(
        (fmt for fmt in by_format if fmt not in MODERN_FORMATS), next(iter(by_format))
    )
    fallbacks = by_format[fallback]
    largest = fallbacks[-1]
    src = next((r for r in fallbacks if r.width >= 1024), largest)
    return {
        "sources": [
            {
                "type": imaging.MIME_TYPES[fmt],
                "srcset": srcset((r.file.url, r.width) for r in by_format[fmt]),
            }
            for fmt in MODERN_FORMATS
            if fmt in by_format and fmt != fallback
        ],
        "src": src.file.url,
        "srcset": srcset((r.file.url, r.width) for r in fallbacks),
        "width": largest.width,
        "height": largest.height,
        # Transparent pictures would show the blur through them once loaded.
        "placeholder": placeholder.file.url
        if placeholder and fallback == "jpeg"
        else "",
    }


@register.simple_tag
def picture(image, *, slot="body", alt=None, priority=False, css_class=""):
    """
    Render a library image for a slot of the page: <picture> with AVIF and
    WebP sources and an <img> with the fallback, from prefetched renditions.
    The page's largest image above the fold gets priority: fetched first and
    never lazy. This tag never makes a rendition.
    """
    if image is None:
        return ""
    if alt is None:
        alt = "" if image.decorative else image.alt_text
    sources = (
        rendition_sources(image, SLOT_CROPS[slot])
        if image.file
        else remote_sources(image)
    )
    context = {
        **sources,
        "alt": alt,
        "sizes": SIZES[slot],
        "priority": priority,
        "css_class": css_class,
    }
    return mark_safe(render_to_string("includes/picture.html", context).strip())


@register.simple_tag
def article_body(article, *, first_image_priority=False):
    """Render a body with its library images, taken from the prefetched body_images."""
    return rich_text(article.body, article, first_image_priority=first_image_priority)


@register.simple_tag
def rich_text(html, article, *, first_image_priority=False):
    """
    Render rich text of an article (its body or an FAQ answer) with its
    library images, taken from the article's prefetched body_images.
    """
    images = {image.pk: image for image in article.body_images.all()}
    decorative = {image.pk for image in article.decorative_body_images.all()}
    drawn = []

    def render_image(pk, alt):
        image = images.get(pk)
        if image is None:
            return ""
        drawn.append(pk)
        # Decorative here: an empty alt. Placed without alt: the library's.
        alt = "" if pk in decorative else alt or None
        return picture(
            image,
            slot="body",
            alt=alt,
            priority=first_image_priority and len(drawn) == 1,
        )

    return mark_safe(
        richtext.render_body(
            html, render_image=render_image, site_url=settings.SITE_URL
        )
    )


@register.filter
def plain(html):
    return richtext.plain_text(html)


@register.filter(expects_localtime=True)
def iso8601(value):
    """
    A date or time for a machine, e.g. `<time datetime="{{ value|iso8601 }}">`:
    in the site's time zone, to the whole second (articles/timestamps.py).
    """
    return timestamps.iso8601(value)


@register.filter
def toc_tree(entries):
    return richtext.nest_toc(entries)


PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{id}/"
_PUBMED_PAGE = re.compile(
    r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d+)\b"
)


@register.filter
def pubmed_url(pubmed_id):
    return PUBMED_URL.format(id=pubmed_id)


@register.filter
def title_link(reference):
    """
    Where a reference's title links to: its link, unless that is the PubMed
    page its PMID already links to, which is then shown once, as "PMID: …".
    """
    link = reference.link
    if not reference.pubmed_id:
        return link
    page = _PUBMED_PAGE.match(link)
    return "" if page and page.group(1) == reference.pubmed_id else link


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """
    The page's links to its other languages, from the hreflang alternates
    of its head: the view's meta, or an article's kept fragments.
    """
    meta = context.get("meta")
    fragments = context.get("fragments") or {}
    alternates = getattr(meta, "alternates", None) or fragments.get("alternates") or ()
    current = context.get("page_language") or settings.LANGUAGE_CODE
    return {
        "language_links": language_switch.links(current=current, alternates=alternates)
    }
