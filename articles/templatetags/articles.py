from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles import richtext

register = template.Library()

# The `sizes` of each slot an image is drawn in, matching static/css/site.css:
# the reading column is 44rem wide at most, cards are a third of 72rem.
SIZES = {
    "hero": "(max-width: 46rem) 100vw, 44rem",
    "body": "(max-width: 46rem) calc(100vw - 2rem), 44rem",
    "card": "(max-width: 40rem) calc(100vw - 2rem), (max-width: 64rem) 50vw, 22rem",
    "avatar": "4rem",
}


def srcset(image):
    # Until an uploaded file has renditions of its own, it is served as it is.
    if image.file:
        return ""
    candidates = sorted(
        image.source_renditions or [], key=lambda candidate: candidate["width"]
    )
    return ", ".join(
        f"{candidate['url']} {candidate['width']}w" for candidate in candidates
    )


@register.simple_tag
def picture(image, *, slot="body", alt=None, priority=False, css_class=""):
    """
    Render a library image for a slot of the page. The page's largest image
    above the fold gets priority: fetched first and never lazy.
    """
    if image is None:
        return ""
    context = {
        "image": image,
        "alt": image.alt_text if alt is None else alt,
        "srcset": srcset(image),
        "sizes": SIZES[slot],
        "priority": priority,
        "css_class": css_class,
    }
    return render_to_string("includes/picture.html", context)


@register.simple_tag
def article_body(article, *, first_image_priority=False):
    """Render a body with its library images, taken from the prefetched body_images."""
    images = {image.pk: image for image in article.body_images.all()}
    drawn = []

    def render_image(pk, alt):
        image = images.get(pk)
        if image is None:
            return ""
        drawn.append(pk)
        return picture(
            image,
            slot="body",
            alt=alt,
            priority=first_image_priority and len(drawn) == 1,
        )

    return mark_safe(
        richtext.render_body(
            article.body, render_image=render_image, site_url=settings.SITE_URL
        )
    )


@register.filter
def plain(html):
    return richtext.plain_text(html)


@register.filter
def toc_tree(entries):
    return richtext.nest_toc(entries)
