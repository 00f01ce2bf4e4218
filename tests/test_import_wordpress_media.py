"""
WordPress's media library and its images in posts: WXR attachments and REST
media objects become library images; [caption], [gallery] and [embed], the
classic editor's loose images and images in FAQ answers become library
images in place; raw WXR content is rendered as WordPress would serve it.
"""

import contextlib
import json
import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.importers.wordpress import blocks
from articles.importers.wordpress.php import PHPSerializeError, unserialize
from articles.importers.wordpress.render import (
    Attachment,
    attachment_figure,
    autop,
    parse_attributes,
    render_content,
)
from articles.models import Article, Image
from articles.wordpress_uploads import upload_key
from tests.test_import_wordpress_complete import SITE, run, write, wxr, wxr_item

UPLOADS = f"{SITE}/wp-content/uploads/2024/01/"
SIZES = {
    "width": 1200,
    "height": 800,
    "file": "2024/01/stretch.jpg",
    "sizes": {
        "medium": {"file": "stretch-300x200.jpg", "width": 300, "height": 200},
        "large": {"file": "stretch-1024x683.jpg", "width": 1024, "height": 683},
    },
}


@pytest.fixture(autouse=True)
def wordpress_site(settings):
    settings.WORDPRESS_SITE_URL = SITE


def php_serialize(value):
    """PHP's serialize(), for the plain values WordPress keeps in meta."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, str):
        return f's:{len(value.encode())}:"{value}";'
    items = "".join(php_serialize(k) + php_serialize(v) for k, v in value.items())
    return f"a:{len(value)}:{{{items}}}"


def wxr_attachment(
    attachment_id, *, file, alt="", caption="", parent=0, order=0, sizes=None
):
    meta = {"_wp_attachment_image_alt": alt}
    if sizes is not None:
        # A string is the metadata as stored, right or wrong.
        meta["_wp_attachment_metadata"] = (
            sizes if isinstance(sizes, str) else php_serialize(sizes)
        )
    postmeta = "".join(
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in meta.items()
    )
    return f"""<item><title>{file}</title><link>{SITE}/{file}/</link>
  <excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
  <wp:post_id>{attachment_id}</wp:post_id><wp:post_parent>{parent}</wp:post_parent>
  <wp:menu_order>{order}</wp:menu_order>
  <wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status>inherit</wp:status>
  <wp:attachment_url><![CDATA[{UPLOADS}{file}]]></wp:attachment_url>{postmeta}
</item>"""


def attachments(*items):
    return {item.figure.wordpress_id: item for item in items}


STRETCH = Attachment(
    attachment_figure(
        attachment_id=5,
        url=f"{UPLOADS}stretch.jpg",
        alt="A stretch",
        caption="Stretching",
        metadata=SIZES,
    ),
    parent_id=9,
    menu_order=2,
)
WALK = Attachment(
    attachment_figure(
        attachment_id=6,
        url=f"{UPLOADS}walk.jpg",
        alt="A walk",
        caption="",
        metadata={"width": 600, "height": 400},
    ),
    parent_id=9,
    menu_order=1,
)


# PHP's serialize() format


def test_attachment_metadata_is_read_with_byte_counted_strings():
    text = php_serialize({"file": "2024/01/café.jpg", "sizes": {"medium": SIZES}})

    assert unserialize(text) == {"file": "2024/01/café.jpg", "sizes": {"medium": SIZES}}
    assert unserialize("a:2:{i:0;d:1.5;i:1;N;}") == {0: 1.5, 1: None}


@pytest.mark.parametrize(
    "text",
    [
        'O:8:"stdClass":0:{}',  # An object is never built.
        "a:1:{i:0;r:1;}",  # Nor a reference followed.
        's:9:"short";',
        "a:2:{i:0;i:1;}",
        "i:1;trailing",
        "a:1:{i:0;" * 40 + "N;" + "}" * 40,
        "",
    ],
    ids=["object", "reference", "length", "count", "trailing", "deep", "empty"],
)
def test_anything_but_plain_php_values_is_refused(text):
    with pytest.raises(PHPSerializeError):
        unserialize(text)


@pytest.mark.parametrize(
    "text",
    [
        'O:8:"stdClass":0:{}',
        "a:1:{i:0;r:1;}",
        'a:1:{s:3:"key";O:8:"stdClass":0:{}}',
        's:9:"short',
        'a:1:{s:1:"x";i:1;',
        "a:1:{i:0;" * 40 + "N;" + "}" * 40,
    ],
    ids=["object", "reference", "object-after-repair", "unterminated", "open", "deep"],
)
def test_repairing_lengths_still_refuses_anything_but_plain_values(text):
    with pytest.raises(PHPSerializeError):
        unserialize(text, repair_lengths=True)


# Metadata converted from Latin-1: "é" was one byte when the lengths were counted.
LATIN1_COUNTED = (
    'a:3:{s:5:"width";i:1200;s:6:"height";i:800;s:4:"file";s:16:"2024/01/café.jpg";}'
)


def test_string_lengths_broken_by_a_charset_change_are_repaired():
    """As PHP's own migration tools recount s:N: lengths, a wrong length that the format shows the end of is read."""
    with pytest.raises(PHPSerializeError):
        unserialize(LATIN1_COUNTED)

    assert unserialize(LATIN1_COUNTED, repair_lengths=True) == {
        "width": 1200,
        "height": 800,
        "file": "2024/01/café.jpg",
    }


def test_attachment_with_wrong_string_lengths_keeps_its_size_for_the_hero(
    db, tmp_path, client
):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_attachment(5, file="café.jpg", alt="A café", sizes=LATIN1_COUNTED)
            + wxr_item(
                9,
                slug="coffee",
                link=f"{SITE}/en/beauty/coffee/",
                meta={"_thumbnail_id": "5"},
            )
        ),
    )

    run([path])

    image = Image.objects.get(wordpress_id=5)
    assert (image.width, image.height) == (1200, 800)
    html = client.get(Article.objects.get(wordpress_id=9).get_absolute_url()).content
    hero = BeautifulSoup(html, "html.parser").select_one(".article__hero img")
    assert (hero["width"], hero["height"]) == ("1200", "800")


_plain_php_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.text(st.characters(blacklist_characters='"', codec="utf-8"), max_size=20),
    lambda children: st.dictionaries(
        st.integers(0, 50)
        | st.text(st.characters(blacklist_characters='"', codec="utf-8"), max_size=8),
        children,
        max_size=5,
    ),
    max_leaves=20,
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(_plain_php_values, st.integers(-3, 3))
def test_repair_reads_back_any_value_whatever_its_string_lengths(value, error):
    """Each s:N: off by error bytes: the strings hold no quote, so where each ends is unambiguous."""
    broken = re.sub(
        r's:(\d+):"',
        lambda match: f's:{max(0, int(match.group(1)) + error)}:"',
        php_serialize(value),
    )

    assert unserialize(broken, repair_lengths=True) == value


@hypothesis_settings(max_examples=500, deadline=None)
@given(
    st.text(st.sampled_from(list('sidbaNOr:;{}"0123456789.-xé')), max_size=80),
    st.booleans(),
)
def test_unserialize_raises_only_its_own_error_on_any_input(text, repair_lengths):
    with contextlib.suppress(PHPSerializeError):
        unserialize(text, repair_lengths=repair_lengths)


# Rendering raw WXR content


def test_shortcode_attributes_are_read_as_wordpress_reads_them():
    assert parse_attributes(""" ids="1,2" size='large' columns=3 bare "quoted" """) == {
        "ids": "1,2",
        "size": "large",
        "columns": "3",
        0: "bare",
        1: "quoted",
    }


def test_caption_shortcode_becomes_a_figure_with_its_caption():
    html = render_content(
        '[caption id="attachment_5" align="alignright" width="300"]'
        f'<a href="{UPLOADS}stretch.jpg"><img class="size-medium wp-image-5" '
        f'src="{UPLOADS}stretch-300x200.jpg" alt="Reach up" /></a> Reach <em>up</em>'
        "[/caption]",
        attachments=attachments(STRETCH),
    )

    content = blocks.convert(html, site_url=SITE)
    assert content.body == "<!--figure:0-->"
    (figure,) = content.figures
    assert (figure.wordpress_id, figure.alt, figure.caption) == (
        5,
        "Reach up",
        "Reach <em>up</em>",
    )
    assert (figure.url, figure.width, figure.height) == (
        f"{UPLOADS}stretch.jpg",
        1200,
        800,
    )
    assert [width for _url, width in figure.renditions] == [300, 1024, 1200]


def test_gallery_shortcode_shows_the_attachments_it_names_in_its_order():
    html = render_content(
        '[gallery ids="6,5" columns="2"]', attachments=attachments(STRETCH, WALK)
    )

    content = blocks.convert(html, site_url=SITE)
    assert content.body == "<!--figure:0-->\n<!--figure:1-->"
    assert [(f.wordpress_id, f.alt, f.caption) for f in content.figures] == [
        (6, "A walk", ""),
        (5, "A stretch", "Stretching"),
    ]


def test_gallery_without_ids_shows_the_images_uploaded_to_the_post():
    unrelated = Attachment(WALK.figure, parent_id=10)
    html = render_content(
        "[gallery]", attachments=attachments(STRETCH, WALK), post_id=9
    ) + render_content('[gallery exclude="6"]', attachments={6: unrelated}, post_id=9)

    content = blocks.convert(html, site_url=SITE)
    assert [figure.wordpress_id for figure in content.figures] == [6, 5]


def test_embed_shortcode_and_a_video_url_on_its_own_line_become_click_to_load():
    html = render_content(
        "Watch this:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"
        "[embed]https://vimeo.com/76979871[/embed]",
        attachments={},
    )

    body = blocks.convert(html, site_url=SITE).body
    assert '<figure data-embed="youtube:dQw4w9WgXcQ">' in body
    assert '<figure data-embed="vimeo:76979871">' in body
    assert "<iframe" not in body


def test_escaped_and_unknown_shortcodes_stay_text():
    html = render_content(
        '[[caption]] is how to write it. [contact-form-7 id="1"]', attachments={}
    )

    assert html == '<p>[caption] is how to write it. [contact-form-7 id="1"]</p>'


def test_paragraphs_leave_block_elements_and_preformatted_text_alone():
    text = autop(
        "One\ntwo\n\n<ul>\n<li>Item</li>\n</ul>\nAfter the list\n"
        '<pre>code\n\n  indented</pre>\n<a\nhref="/x">link</a>'
    )

    assert text == (
        "<p>One<br>\ntwo</p>\n<ul>\n<li>Item</li>\n</ul>\n<p>After the list</p>\n"
        '<pre>code\n\n  indented</pre>\n<p><a href="/x">link</a></p>'
    )


def test_library_images_get_the_sizes_wordpress_adds_when_it_serves_them():
    html = render_content(
        f'<p><img class="wp-image-5" src="{UPLOADS}stretch-1024x683.jpg" alt=""></p>'
        f'<p><img class="wp-image-5" src="{UPLOADS}stretch.jpg" width="50" height="30"'
        f' srcset="{UPLOADS}stretch.jpg 1200w"></p>',
        attachments=attachments(STRETCH),
    )

    first, second = html.split("</p>")[:2]
    assert 'width="1024" height="683"' in first
    assert f'srcset="{UPLOADS}stretch-300x200.jpg 300w, ' in first
    assert f'{UPLOADS}stretch.jpg 1200w"' in first
    assert second.count("srcset=") == 1 and 'width="50"' in second


# Loose images and images in FAQ answers


def test_an_image_alone_in_a_paragraph_is_a_figure_and_one_in_text_an_image():
    content = blocks.convert(
        f'<p><a href="{UPLOADS}stretch.jpg"><img class="wp-image-5" '
        f'src="{UPLOADS}stretch.jpg" alt="Stretch" width="1200" height="800"></a></p>'
        f'<p>Walk <a href="/en/walking/"><img src="{UPLOADS}walk.jpg" alt="Walk"></a>'
        " daily.</p>",
        site_url=SITE,
    )

    assert content.body == (
        '<!--figure:0-->\n<p>Walk <a href="/en/walking/"><!--image:1--></a> daily.</p>'
    )
    assert [figure.alt for figure in content.figures] == ["Stretch", "Walk"]


def test_images_in_faq_answers_are_sanitized_placeholders():
    content = blocks.convert(
        '<div class="wp-block-rank-math-faq-block"><div class="rank-math-faq-item">'
        '<h3 class="rank-math-question">How?</h3><div class="rank-math-answer">'
        f'<p>Like this: <img class="wp-image-6" src="{UPLOADS}walk.jpg" alt="A walk"'
        ' onerror="alert(1)"> <img data-file="7" src="x"></p></div></div></div>',
        site_url=SITE,
    )

    (question,) = content.faq
    assert question.answer == "<p>Like this: <!--image:0--> <!--image:1--></p>"
    assert [figure.url for figure in content.figures] == [
        f"{UPLOADS}walk.jpg",
        f"{SITE}/x",
    ]


def test_faq_answer_image_is_a_library_image_shown_on_the_page(db, client, tmp_path):
    data = {
        "id": 77,
        "type": "post",
        "status": "publish",
        "slug": "walking",
        "link": f"{SITE}/en/beauty/walking/",
        "date_gmt": "2026-01-05T10:00:00",
        "title": {"rendered": "Walking"},
        "excerpt": {"rendered": ""},
        "categories": [12],
        "class_list": ["category-beauty"],
        "content": {
            "rendered": '<div class="wp-block-rank-math-faq-block">'
            '<div class="rank-math-faq-item"><h3 class="rank-math-question">'
            'How far?</h3><div class="rank-math-answer"><p>This far: '
            f'<img class="wp-image-6" src="{UPLOADS}walk.jpg" alt="A walk" '
            'width="600" height="400"></p></div></div></div>'
        },
    }
    path = write(tmp_path, "post.json", json.dumps(data))

    assert [outcome.action for outcome in run([path])] == ["created"]

    article = Article.objects.get(wordpress_id=77)
    image = Image.objects.get(wordpress_id=6)
    answer = article.faq_items.get().answer
    assert f'data-file="{image.pk}"' in answer
    assert list(article.body_images.all()) == [image]
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"{UPLOADS}walk.jpg" in page and 'alt="A walk"' in page


# The media library


def test_wxr_attachments_become_library_images_with_alt_caption_and_sizes(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_attachment(
                5, file="stretch.jpg", alt="A stretch", caption="Daily", sizes=SIZES
            )
            + wxr_attachment(8, file="leaflet.pdf")
            + wxr_attachment(6, file="walk.jpg", sizes="not php")
        ),
    )

    outcomes = run([path])

    assert [(outcome.action, outcome.title) for outcome in outcomes] == [
        ("created", "site settings: Gold City"),
        ("created", "image stretch.jpg"),
        ("created", "image walk.jpg"),
    ]
    stretch = Image.objects.get(wordpress_id=5)
    assert (stretch.alt_text, stretch.caption, stretch.width, stretch.height) == (
        "A stretch",
        "Daily",
        1200,
        800,
    )
    assert stretch.source_renditions == [
        {"url": f"{UPLOADS}stretch-300x200.jpg", "width": 300},
        {"url": f"{UPLOADS}stretch-1024x683.jpg", "width": 1024},
        {"url": f"{UPLOADS}stretch.jpg", "width": 1200},
    ]
    walk = Image.objects.get(wordpress_id=6)
    assert (walk.source_url, walk.width) == (f"{UPLOADS}walk.jpg", None)
    assert not Image.objects.filter(wordpress_id=8).exists()


def test_importing_the_media_library_again_changes_nothing(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(wxr_attachment(5, file="stretch.jpg", alt="A stretch", sizes=SIZES)),
    )
    run([path])

    assert [outcome.action for outcome in run([path])] == ["skipped", "unchanged"]
    assert Image.objects.count() == 1


def test_a_dry_run_reports_media_and_saves_none(db, tmp_path):
    from articles.importers.wordpress.load import import_items
    from articles.importers.wordpress.sources import read_posts

    path = write(tmp_path, "export.xml", wxr(wxr_attachment(5, file="stretch.jpg")))

    outcomes = list(import_items(read_posts([path]), dry_run=True))

    assert [(o.action, o.reason) for o in outcomes] == [
        ("created", "dry run, nothing saved")  # The site's settings, then the image.
    ] * 2
    assert not Image.objects.exists()


def test_a_use_of_an_image_in_a_post_keeps_the_library_alt(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_attachment(5, file="stretch.jpg", alt="A stretch", sizes=SIZES)
            + wxr_item(
                9,
                slug="stretching",
                link=f"{SITE}/en/beauty/stretching/",
                content=f'<img class="wp-image-5" src="{UPLOADS}stretch.jpg" '
                'alt="Reaching for the ceiling">',
            )
        ),
    )

    run([path])

    article = Article.objects.get(wordpress_id=9)
    image = Image.objects.get(wordpress_id=5)
    assert image.alt_text == "A stretch"
    assert 'alt="Reaching for the ceiling"' in article.body
    assert f'data-file="{image.pk}"' in article.body


def test_wxr_classic_post_with_caption_and_gallery_shows_library_images(
    db, tmp_path, client
):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_attachment(5, file="stretch.jpg", alt="A stretch", parent=9, order=2)
            + wxr_attachment(6, file="walk.jpg", alt="A walk", parent=9, order=1)
            + wxr_item(
                9,
                slug="moving",
                link=f"{SITE}/en/beauty/moving/",
                content='Move a little.\n\n[caption width="300"]'
                f'<img class="wp-image-5" src="{UPLOADS}stretch.jpg" alt="Stretch">'
                " Every morning[/caption]\n\n[gallery]",
            )
        ),
    )

    run([path])

    article = Article.objects.get(wordpress_id=9)
    stretch, walk = (Image.objects.get(wordpress_id=pk) for pk in (5, 6))
    assert article.body.count("<figure>") == 3
    assert "<figcaption>Every morning</figcaption>" in article.body
    assert article.body.index(f'data-file="{walk.pk}"') < article.body.rindex(
        f'data-file="{stretch.pk}"'
    )
    assert set(article.body_images.all()) == {stretch, walk}
    assert client.get(article.get_absolute_url()).status_code == 200


def test_rest_media_objects_become_library_images(db, tmp_path):
    media = [
        {
            "id": 5,
            "type": "attachment",
            "media_type": "image",
            "source_url": f"{UPLOADS}stretch.jpg",
            "alt_text": "A stretch",
            "caption": {"rendered": "<p>Daily</p>\n"},
            "media_details": {
                "width": 1200,
                "height": 800,
                "sizes": {
                    "medium": {
                        "source_url": f"{UPLOADS}stretch-300x200.jpg",
                        "width": 300,
                    }
                },
            },
        },
        {"id": 8, "type": "attachment", "media_type": "file", "source_url": "x.pdf"},
    ]
    path = write(tmp_path, "media.json", json.dumps(media))

    outcomes = run([path])

    assert [outcome.action for outcome in outcomes] == ["created", "skipped"]
    assert outcomes[1].reason == "a file of WordPress's media library, not an image"
    image = Image.objects.get(wordpress_id=5)
    assert (image.alt_text, image.caption, image.width) == ("A stretch", "Daily", 1200)


# Hostile and broken input


def test_images_the_library_cannot_fetch_or_store_are_dropped(db, tmp_path):
    data_uri = "data:image/png;base64," + "A" * 3000
    content = (
        f'<p>Pasted: <img src="{data_uri}" alt="pasted"></p>'
        '<div class="wp-block-rank-math-faq-block"><div class="rank-math-faq-item">'
        '<h3 class="rank-math-question">How?</h3><div class="rank-math-answer">'
        '<p>So <img src="javascript:alert(1)" alt="h"></p></div></div></div>'
    )
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_attachment(
                5,
                file="stretch.jpg",
                sizes=SIZES
                | {"sizes": {"x": {"file": "javascript:alert(1)", "width": 30}}},
            )
            + wxr_item(
                9, slug="pasted", link=f"{SITE}/en/beauty/pasted/", content=content
            )
        ),
    )

    assert [outcome.action for outcome in run([path])] == ["created"] * 3

    article = Article.objects.get(wordpress_id=9)
    assert "data:" not in article.body and "<img" not in article.body
    assert "javascript" not in article.faq_items.get().answer
    assert Image.objects.get().source_renditions == []
    assert not Image.objects.exclude(source_url__startswith="https://").exists()


def test_fetching_media_refuses_anything_but_http():
    from articles.importers.wordpress.media import FetchError, download

    with pytest.raises(FetchError, match="not an http"):
        download("file:///etc/passwd", timeout=1, max_bytes=100)


@pytest.mark.parametrize(
    "content",
    [
        '[gallery ids="' + "9" * 5000 + '"]',
        '[gallery exclude="' + "9" * 5000 + '"]',
        '[gallery id="²"]',
        f'<img class="wp-image-{"1" * 5000}" src="{UPLOADS}a.jpg" alt="">',
        f'<img src="{UPLOADS}a.jpg" srcset="{UPLOADS}a.jpg {"9" * 5000}w" alt="">',
        "<?x <!--figure:7-->?><!DOCTYPE <!--image:0-->><p>Text</p>",
    ],
    ids=["ids", "exclude", "superscript", "class", "srcset", "placeholders"],
)
def test_one_odd_value_fails_nothing(db, tmp_path, content):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_attachment(5, file="a.jpg", sizes={"width": 10**20, "height": True})
            + wxr_attachment(
                6,
                file="b.jpg",
                sizes="a:1:{s:" + "9" * 5000 + ':"x";}',
            )
            + wxr_item(9, slug="odd", link=f"{SITE}/en/beauty/odd/", content=content)
        ),
    )

    outcomes = run([path])

    assert [outcome.action for outcome in outcomes] == ["created"] * 4
    assert set(Image.objects.values_list("wordpress_id", "width", "height")) >= {
        (5, None, None),
        (6, None, None),
    }


def test_markup_declarations_cannot_pass_for_placeholders():
    content = blocks.convert(
        "<![CDATA[<!--image:3-->]]><?x <!--figure:7-->?><p>Text</p>", site_url=SITE
    )

    assert "<!--" not in content.body
    assert blocks.render_figures(content.body, figures=(), image_ids=()) == content.body


def test_unclosed_and_escaped_shortcodes_are_text_or_nothing_as_in_wordpress():
    assert render_content("[caption]" * 20000, attachments={}) == ""
    assert render_content("[gallery " * 20000, attachments={}) == (
        "<p>" + "[gallery " * 19999 + "[gallery</p>"
    )
    assert render_content(
        "[[embed]https://x.org/[/embed]] [[caption]", attachments={}
    ) == ("<p>[embed]https://x.org/[/embed] [</p>")


def test_an_alt_text_holding_a_bracket_keeps_it_when_sizes_are_added():
    html = render_content(
        f'<img class="wp-image-5" src="{UPLOADS}stretch.jpg" alt=\'2 > 1\'>',
        attachments=attachments(STRETCH),
    )

    assert "alt='2 > 1'" in html and 'width="1200" height="800"' in html


# The old site's upload URLs


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (f"{UPLOADS}stretch.jpg", "2024/01/stretch.jpg"),
        (f"{UPLOADS}stretch-300x200.jpg", "2024/01/stretch.jpg"),
        (f"{UPLOADS}stretch-scaled.jpg", "2024/01/stretch.jpg"),
        (f"{UPLOADS}stretch-rotated.jpg", "2024/01/stretch.jpg"),
        (f"{UPLOADS}stretch-e1700000000123-300x200.jpg", "2024/01/stretch.jpg"),
        (f"{UPLOADS}banner-1920x1080-300x169.jpg", "2024/01/banner.jpg"),
        (f"{SITE}/wp-content/uploads/sites/2/caf%C3%A9.png", "sites/2/café.png"),
        ("/wp-content/uploads/logo.png", "logo.png"),
        (f"{SITE}/images/stretch.jpg", ""),
        (f"{UPLOADS}-300x200.jpg", "2024/01/-300x200.jpg"),  # No name without its size.
        (f"{UPLOADS}README", ""),
    ],
)
def test_every_copy_of_an_upload_shares_its_key(url, key):
    assert upload_key(url) == key


@pytest.fixture
def stretch(db):
    return Image.objects.create(
        wordpress_id=5,
        source_url=f"{UPLOADS}stretch-scaled.jpg",
        source_renditions=[
            {"url": f"{UPLOADS}stretch-300x200.jpg", "width": 300},
            {"url": f"{UPLOADS}stretch-1024x683.jpg", "width": 1024},
        ],
        wordpress_upload=upload_key(f"{UPLOADS}stretch-scaled.jpg"),
        width=2560,
        height=1707,
    )


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("stretch-scaled.jpg", f"{UPLOADS}stretch-scaled.jpg"),
        ("stretch-300x200.jpg", f"{UPLOADS}stretch-300x200.jpg"),
        # Copies WordPress made that the export does not list: the original.
        ("stretch.jpg", f"{UPLOADS}stretch-scaled.jpg"),
        ("stretch-150x150.jpg", f"{UPLOADS}stretch-scaled.jpg"),
        ("stretch-e1700000000123-768x512.jpg", f"{UPLOADS}stretch-scaled.jpg"),
    ],
)
def test_old_upload_urls_answer_301_to_the_remote_source_until_fetched(
    stretch, client, django_assert_num_queries, path, target
):
    with django_assert_num_queries(2):  # The image by its indexed key, its renditions.
        response = client.get(f"/wp-content/uploads/2024/01/{path}")

    assert (response.status_code, response["Location"]) == (301, target)


def test_old_upload_urls_answer_301_to_our_rendition_once_fetched(stretch, client):
    stretch.file = "images/2026/01/stretch.jpg"
    stretch.save()
    for width, crop in ((300, ""), (768, ""), (1200, ""), (300, "1:1")):
        stretch.renditions.create(
            width=width,
            height=width if crop else round(width / 1.5),
            format="jpeg",
            crop=crop,
            file=f"renditions/stretch-{width}{crop.replace(':', 'x')}.jpg",
            bytes=1000,
        )

    def location(path):
        response = client.get(f"/wp-content/uploads/2024/01/{path}")
        assert response.status_code == 301
        return response["Location"]

    assert location("stretch-scaled.jpg") == "/media/renditions/stretch-1200.jpg"
    assert location("stretch-300x200.jpg") == "/media/renditions/stretch-300.jpg"
    assert location("stretch-1024x683.jpg") == "/media/renditions/stretch-1200.jpg"
    assert location("stretch-150x150.jpg") == "/media/renditions/stretch-3001x1.jpg"


def test_unknown_uploads_stay_404(stretch, client):
    Image.objects.create(
        source_url="https://elsewhere.example/wp-content/uploads/2024/01/walk.jpg",
        wordpress_upload="2024/01/walk.jpg",
    )

    assert client.get("/wp-content/uploads/2024/01/nothing.jpg").status_code == 404
    # A picture another WordPress site serves is no upload of the old site.
    assert client.get("/wp-content/uploads/2024/01/walk.jpg").status_code == 404
    assert client.get("/wp-content/uploads/2024/02/stretch.jpg").status_code == 404


def test_an_upload_at_our_own_address_is_no_redirect_loop(stretch, client, settings):
    """Once the old domain points at this site, the remote source is this very URL."""
    settings.ALLOWED_HOSTS = ["goldcitymedicalcenter.nl"]

    response = client.get(
        "/wp-content/uploads/2024/01/stretch-scaled.jpg",
        HTTP_HOST="goldcitymedicalcenter.nl",
    )

    assert response.status_code == 404


def test_imported_media_are_keyed_by_their_upload(db, tmp_path):
    run(
        [
            write(
                tmp_path,
                "export.xml",
                wxr(wxr_attachment(5, file="stretch-scaled.jpg", sizes=SIZES)),
            )
        ]
    )

    assert Image.objects.get(wordpress_id=5).wordpress_upload == "2024/01/stretch.jpg"


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    # Names as sanitize_file_name() leaves them: no control characters or
    # separators, and a first character that is no suffix's dash.
    st.from_regex(r"[^\W_][^/?#%\x00-\x1f\x7f]{0,29}", fullmatch=True),
    st.sampled_from(["", "-scaled", "-rotated", "-e1700000000123", "-300x200"]),
    st.sampled_from(["", "-150x150", "-1024x683"]),
)
def test_every_copy_wordpress_makes_has_its_uploads_key(name, variant, size):
    """However WordPress named the upload, its copies (-scaled, -rotated, edits, sizes) share its key."""
    original = f"/wp-content/uploads/2024/01/{name}.jpg"
    copy = f"/wp-content/uploads/2024/01/{name}{variant}{size}.jpg"

    assert upload_key(copy) == upload_key(original)
