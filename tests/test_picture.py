"""The {% picture %} markup, on the article page and alone, and the publish block for alt text."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from articles import renditions
from articles.models import Article, FAQItem, Image
from articles.templatetags.articles import SIZES, picture
from tests.factories import make_article, make_image, save_article
from tests.images import photo_bytes
from tests.test_roles import form_errors, submit

pytestmark = pytest.mark.django_db


def uploaded_image(width=1600, height=1067, **fields):
    image = Image(title=fields.pop("title", "Photo"), **fields)
    image.file.save("photo.jpg", ContentFile(photo_bytes(width, height)), save=False)
    image.save()
    renditions.make_renditions(image)
    return Image.objects.prefetch_related("renditions").get(pk=image.pk)


def test_picture_has_modern_sources_and_a_sized_fallback():
    image = uploaded_image(alt_text="A physiotherapist at work")

    html = picture(image, slot="hero", priority=True)

    sources = re.findall(
        r'<source type="([^"]+)" srcset="([^"]+)" sizes="([^"]+)">', html
    )
    assert [s[0] for s in sources] == ["image/avif", "image/webp"]
    for _, srcset, sizes in sources:
        assert re.findall(r" (\d+)w", srcset) == ["300", "768", "1024", "1200"]
        assert sizes == SIZES["hero"]
    img = re.search(r"<img [^>]+>", html).group(0)
    assert re.search(
        r'srcset="[^"]+\.jpg 300w, [^"]+ 768w, [^"]+ 1024w, [^"]+\.jpg 1200w"', img
    )
    assert f'sizes="{SIZES["hero"]}"' in img
    assert 'width="1200" height="800"' in img
    assert 'alt="A physiotherapist at work"' in img
    assert 'decoding="async"' in img and 'fetchpriority="high"' in img
    assert "loading=" not in img
    assert html.startswith("<picture>") and html.endswith("</picture>")


def test_a_lazy_picture_gets_a_tiny_placeholder():
    html = picture(uploaded_image(), slot="body")

    assert 'loading="lazy"' in html and "fetchpriority" not in html
    assert re.search(r'style="background: url\([^)]+-20w\.webp\) center / cover"', html)


def test_each_slot_has_its_own_sizes_and_crop():
    image = uploaded_image()

    card = picture(image, slot="card")
    avatar = picture(image, slot="avatar")

    assert f'sizes="{SIZES["card"]}"' in card and 'width="768" height="512"' in card
    assert (
        f'sizes="{SIZES["avatar"]}"' in avatar and 'width="300" height="300"' in avatar
    )
    assert SIZES["hero"] != SIZES["body"] != SIZES["card"]


def test_a_remote_image_renders_from_its_url_with_its_dimensions():
    image = make_image(
        source_url="https://example.org/a.webp",
        width=1200,
        height=800,
        source_renditions=[{"url": "https://example.org/a-300.webp", "width": 300}],
    )

    html = picture(image)

    assert "<picture>" not in html
    assert 'src="https://example.org/a.webp"' in html
    assert 'srcset="https://example.org/a-300.webp 300w"' in html
    assert 'width="1200" height="800"' in html


def test_a_decorative_image_has_an_empty_alt():
    image = uploaded_image(alt_text="", decorative=True)

    assert 'alt=""' in picture(image)


def test_the_page_serves_renditions_and_never_makes_one(client, monkeypatch):
    hero = uploaded_image(alt_text="Hero")
    inline = [uploaded_image(alt_text=f"Inline {n}") for n in range(2)]
    faq_image = uploaded_image(alt_text="In the FAQ")
    body = "".join(
        f'<figure><img src="{i.url}" alt="Body {n}" data-file="{i.pk}"></figure>'
        for n, i in enumerate(inline)
    )
    article = make_article(featured_image=hero, body=body)
    article.faq_items.create(
        question="Why?",
        answer=f'<p>Because.</p><img src="{faq_image.url}" alt="" data-file="{faq_image.pk}">',
    )
    save_article(article)

    def never(*args, **kwargs):
        raise AssertionError("a page made a rendition")

    monkeypatch.setattr(renditions, "make_renditions", never)
    html = client.get(article.get_absolute_url()).content.decode()

    pictures = re.findall(r"<picture>.*?</picture>", html)
    assert len(pictures) == 4
    assert all(
        '<source type="image/avif"' in p and 'type="image/webp"' in p for p in pictures
    )
    first, *others = pictures
    assert 'fetchpriority="high"' in first and 'alt="Hero"' in first
    assert "loading" not in first
    assert all('loading="lazy"' in p and "fetchpriority" not in p for p in others)
    assert 'alt="Body 0"' in others[0] and 'alt="In the FAQ"' in others[2]


def test_without_a_featured_image_the_first_body_image_has_priority(client):
    images = [uploaded_image(alt_text=f"Inline {n}") for n in range(2)]
    body = "".join(
        f'<figure><img src="{i.url}" alt="Body" data-file="{i.pk}"></figure>'
        for i in images
    )
    article = make_article(body=body)

    html = client.get(article.get_absolute_url()).content.decode()

    first, second = re.findall(r"<img [^>]+>", html)[:2]
    assert 'fetchpriority="high"' in first and "loading" not in first
    assert 'loading="lazy"' in second


def test_archive_cards_use_the_cropped_renditions(client):
    article = make_article(featured_image=uploaded_image(alt_text="Card"))

    html = client.get(article.primary_category.get_absolute_url()).content.decode()

    assert re.search(
        r'<source type="image/avif" srcset="[^"]+-3x2-300w\.avif 300w', html
    )


ARTICLE_ADD = reverse("admin:articles_article_add")


def publish(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return submit(client, url, status=Article.Status.PUBLISHED, **changes)


def test_an_article_whose_image_lacks_alt_text_cannot_be_published(editor_client):
    image = make_image(title="Stretching mat", alt_text="")
    article = make_article(status=Article.Status.DRAFT, featured_image=image)

    response = publish(editor_client, article)

    assert response.status_code == 200
    (error,) = form_errors(response)["__all__"]
    assert "Stretching mat" in error and "featured image" in error
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_alt_text_of_the_use_or_marking_it_decorative_allows_publishing(editor_client):
    image = make_image(title="Stretching mat", alt_text="")
    article = make_article(status=Article.Status.DRAFT, featured_image=image)

    assert (
        publish(editor_client, article, featured_image_alt="A blue mat").status_code
        == 302
    )
    article.status = Article.Status.DRAFT
    article.featured_image_alt = ""
    save_article(article)
    assert (
        publish(editor_client, article, featured_image_decorative="on").status_code
        == 302
    )


def test_an_image_in_an_faq_answer_without_alt_blocks_publishing(editor_client):
    image = make_image(title="Foam roller", alt_text="")
    article = make_article(status=Article.Status.DRAFT)
    FAQItem.objects.create(
        article=article,
        question="Does foam rolling help?",
        answer=f'<p>Yes.</p><img src="{image.url}" alt="" data-file="{image.pk}">',
    )

    response = publish(editor_client, article)

    assert response.status_code == 200
    assert "Foam roller" in response.content.decode()
    assert "(FAQ)" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_bulk_publish_skips_an_article_whose_faq_image_lacks_alt(editor_client):
    image = make_image(title="Foam roller", alt_text="")
    article = make_article(status=Article.Status.DRAFT)
    FAQItem.objects.create(
        article=article,
        question="Does foam rolling help?",
        answer=f'<img src="{image.url}" alt="" data-file="{image.pk}">',
    )

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk], "index": 0},
    )

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_body_image_without_alt_blocks_publishing_and_is_named(editor_client):
    image = make_image(title="Spine model", alt_text="")
    article = make_article(
        status=Article.Status.DRAFT,
        body=f'<p>Text</p><img src="{image.url}" alt="" data-file="{image.pk}">',
    )

    response = publish(editor_client, article)

    (error,) = form_errors(response)["__all__"]
    assert "Spine model" in error and "body" in error


def test_a_body_image_marked_decorative_in_this_article_publishes_with_an_empty_alt(
    editor_client, client
):
    image = make_image(title="Spine model", alt_text="")
    article = make_article(
        status=Article.Status.DRAFT,
        body=f'<p>Text</p><img src="{image.url}" alt="" data-file="{image.pk}">',
    )

    response = publish(editor_client, article, decorative_body_images=[str(image.pk)])

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.is_published
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"/renditions/{image.pk}/" not in html or 'alt=""' in html
    assert re.search(r'<img[^>]*alt=""', html)


def test_decorative_in_one_article_stays_described_in_another(client):
    image = make_image(alt_text="A model of the lumbar spine")
    body = f'<p>Text</p><img src="{image.url}" alt="" data-file="{image.pk}">'
    decorated = make_article(body=body)
    decorated.decorative_body_images.add(image)
    described = make_article(body=body)

    decorated_html = client.get(decorated.get_absolute_url()).content.decode()
    described_html = client.get(described.get_absolute_url()).content.decode()

    assert 'alt="A model of the lumbar spine"' not in decorated_html
    assert 'alt="A model of the lumbar spine"' in described_html


def test_alt_text_repeating_the_title_is_flagged_but_published(editor_client):
    images = [
        make_image(title=f"Image {n}", alt_text="Back Spasm Remedy") for n in range(2)
    ]
    article = make_article(
        title="Back Spasm Remedy",
        status=Article.Status.DRAFT,
        featured_image=images[0],
        body=f'<img src="{images[1].url}" alt="Back Spasm Remedy" data-file="{images[1].pk}">',
    )

    response = publish(editor_client, article)

    assert response.status_code == 302
    warnings = [str(m) for m in response.wsgi_request._messages]
    assert any("only repeats the title" in w and "Image 0" in w for w in warnings)
    assert any("2 images share the alt text" in w for w in warnings)


def test_the_bulk_publish_action_skips_articles_with_missing_alt(editor_client):
    article = make_article(
        status=Article.Status.DRAFT,
        featured_image=make_image(title="No alt", alt_text=""),
    )

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk], "index": 0},
    )

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_other_sites_get_a_rendition_never_the_original_upload(client, editor):
    """The uploaded original may carry GPS: Open Graph, JSON-LD, sitemaps, feeds and the API share a rendition."""
    image = Image(alt_text="A stretch", width=1600, height=1000)
    image.file.save(
        "original-upload.jpg", ContentFile(photo_bytes(1600, 1000)), save=False
    )
    image.save()
    renditions.make_renditions(image)
    article = make_article(featured_image=image)

    surfaces = [
        client.get(article.get_absolute_url()).content.decode(),
        client.get("/sitemap-articles.xml").getvalue().decode(),
        client.get("/en/feed/").content.decode(),
        client.get("/wp-json/wp/v2/media").content.decode(),
        client.get("/wp-json/wp/v2/posts", {"_embed": ""}).content.decode(),
    ]

    for surface in surfaces:
        assert "original-upload.jpg" not in surface
        assert "original-upload-1200w.jpg" in surface
