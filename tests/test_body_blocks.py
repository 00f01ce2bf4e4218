"""
The blocks an editor places in a body beside text and pictures: videos and
callouts. One markup each, whoever makes it; the allowlist keeps exactly
that markup; reader pages and the SEO analysis read it.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from articles import callouts, richtext, video_embeds
from articles.importers.wordpress.blocks import convert
from articles.sanitize import sanitize_rich_text
from articles.seo_scoring import analyse_article
from tests.factories import make_article

YOUTUBE_MARKUP = (
    '<figure data-embed="youtube:dQw4w9WgXcQ">'
    '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Five gentle stretches</a>'
    "<figcaption>A physiotherapist shows each one.</figcaption></figure>"
)
CALLOUT = '<aside class="callout callout-warning"><p>Stop if it hurts.</p></aside>'


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ],
)
def test_every_address_of_a_youtube_video_gives_the_same_markup(url):
    video = video_embeds.video_from_url(url)
    markup = video_embeds.embed_html(
        video,
        title="Five gentle stretches",
        caption_html="A physiotherapist shows each one.",
    )
    assert markup == YOUTUBE_MARKUP


def test_a_vimeo_video_links_to_its_page_on_vimeo():
    video = video_embeds.video_from_url("https://vimeo.com/76979871")
    assert video_embeds.embed_html(video, title="Warm-up") == (
        '<figure data-embed="vimeo:76979871">'
        '<a href="https://vimeo.com/76979871">Warm-up</a></figure>'
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/stretching.mp4",
        "https://www.youtube.com/watch?v=short",
        "https://vimeo.com/channels/staffpicks",
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
        "",
    ],
)
def test_an_address_of_no_youtube_or_vimeo_video_is_no_video(url):
    assert video_embeds.video_from_url(url) is None


def test_the_importer_and_the_editor_store_a_video_alike(editor_client):
    imported = convert(
        '<figure class="wp-block-embed is-provider-youtube"><div class="wp-block-embed__wrapper">'
        '<iframe title="Five gentle stretches" src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed"></iframe>'
        "</div><figcaption>A physiotherapist shows each one.</figcaption></figure>",
        site_url="https://example.org",
    ).body
    response = editor_client.get(
        reverse("admin:editor_video"),
        {
            "url": "https://youtu.be/dQw4w9WgXcQ",
            "title": "Five gentle stretches",
            "caption": "A physiotherapist shows each one.",
        },
    )
    assert response.status_code == 200
    assert sanitize_rich_text(response.json()["html"]) == imported == YOUTUBE_MARKUP


def test_the_editor_is_told_why_an_address_is_no_video(editor_client):
    response = editor_client.get(
        reverse("admin:editor_video"), {"url": "https://example.org/stretching.mp4"}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("Only YouTube and Vimeo videos")


def test_the_refusal_is_in_the_editors_language(editor_client):
    response = editor_client.get(
        reverse("admin:editor_video"),
        {"url": "https://example.org/a.mp4"},
        headers={"accept-language": "nl"},
    )
    assert response.json()["error"].startswith("Alleen video’s van YouTube en Vimeo")


def test_only_staff_ask_for_a_videos_markup(client, db):
    response = client.get(
        reverse("admin:editor_video"), {"url": "https://youtu.be/dQw4w9WgXcQ"}
    )
    assert response.status_code == 302


def test_the_allowlist_keeps_a_video_and_a_callout_as_they_are():
    assert sanitize_rich_text(YOUTUBE_MARKUP + CALLOUT) == YOUTUBE_MARKUP + CALLOUT


def test_a_player_inside_a_video_is_dropped():
    markup = YOUTUBE_MARKUP.replace(
        "</a>", '</a><iframe src="https://evil.example/"></iframe>'
    )
    assert sanitize_rich_text(markup) == YOUTUBE_MARKUP


@pytest.mark.parametrize(
    "value",
    [
        "youtube:dQw4w9WgXcQ&autoplay=1",
        "youtube:short",
        "youtube:dQw4w9WgXcQ?",
        "vimeo:abc",
        "vimeo:1234567890123",
        "dailymotion:x7tgad0",
        "https://evil.example/",
        " youtube:dQw4w9WgXcQ",
    ],
)
def test_a_video_with_a_bad_id_loses_its_embed(value):
    markup = (
        f'<figure data-embed="{value}"><a href="https://youtu.be/x">Watch</a></figure>'
    )
    assert sanitize_rich_text(markup) == (
        '<figure><a href="https://youtu.be/x">Watch</a></figure>'
    )


@given(st.text(max_size=30))
@example("youtube:dQw4w9WgXcQ")
@example("vimeo:76979871")
def test_a_data_embed_survives_only_naming_a_video(value):
    cleaned = sanitize_rich_text(f'<figure data-embed="{value}"><p>x</p></figure>')
    kept = re.findall(r'data-embed="([^"]*)"', cleaned)
    assert all(video_embeds.is_embed_value(embed) for embed in kept)


@pytest.mark.parametrize(
    "markup",
    [
        '<aside class="callout callout-danger"><p>Stop if it hurts.</p></aside>',
        '<aside class="callout"><p>Stop if it hurts.</p></aside>',
        '<aside class="callout-warning callout"><p>Stop if it hurts.</p></aside>',
        '<aside class="callout callout-warning big"><p>Stop if it hurts.</p></aside>',
        "<aside><p>Stop if it hurts.</p></aside>",
    ],
)
def test_an_aside_of_no_known_kind_leaves_only_its_text(markup):
    assert sanitize_rich_text(markup) == "<p>Stop if it hurts.</p>"


def test_a_callout_keeps_nothing_but_its_kind():
    markup = (
        '<aside class="callout callout-note" style="color:red" id="x" role="alert">'
        "<p>Stop if it hurts.</p></aside>"
    )
    assert sanitize_rich_text(markup) == (
        '<aside class="callout callout-note"><p>Stop if it hurts.</p></aside>'
    )


def test_a_callout_inside_an_unknown_aside_is_kept():
    markup = f'<aside class="sidebar"><p>Before</p>{CALLOUT}<p>After</p></aside>'
    assert sanitize_rich_text(markup) == f"<p>Before</p>{CALLOUT}<p>After</p>"


ASIDE_CLASSES = st.sampled_from(
    [*callouts.CLASS_VALUES, "callout", "callout callout-danger", "x", ""]
)
aside_markup = st.recursive(
    st.sampled_from(["<p>text</p>", "<aside>", "</aside>", "<p>", "</p>", "<li>"]),
    lambda inner: st.builds(
        lambda css, content, close: f'<aside class="{css}">{content}{close}',
        ASIDE_CLASSES,
        st.lists(inner, max_size=4).map("".join),
        st.sampled_from(["</aside>", ""]),
    ),
    max_leaves=12,
)


@given(st.lists(aside_markup, max_size=5).map("".join))
def test_every_aside_kept_is_a_callout_of_a_known_kind(markup):
    cleaned = sanitize_rich_text(markup)
    assert all(
        tag in {f'<aside class="{css}">' for css in callouts.CLASS_VALUES}
        for tag in re.findall(r"<aside\b[^>]*>", cleaned)
    )
    assert cleaned.count("<aside") == cleaned.count("</aside>")
    assert sanitize_rich_text(cleaned) == cleaned


def render(html):
    return richtext.render_body(
        html, render_image=lambda pk, alt: "", site_url="https://example.org"
    )


def test_a_reader_sees_a_callout_as_a_note_with_its_label():
    assert render(CALLOUT) == (
        '<aside class="callout callout-warning" role="note">'
        '<p class="callout__label">Warning</p><p>Stop if it hurts.</p></aside>'
    )


def test_a_callouts_label_is_in_the_readers_language():
    doctor = '<aside class="callout callout-doctor"><p>Bij koorts.</p></aside>'
    with translation.override("nl"):
        rendered = render(doctor)
    assert '<p class="callout__label">Wanneer naar de dokter</p>' in rendered


def test_the_seo_analysis_reads_a_body_with_a_video_and_a_callout(db):
    article = make_article(
        body=f"<h2>Stretches</h2><p>Stretch gently.</p>{YOUTUBE_MARKUP}{CALLOUT}"
    )
    analysis = analyse_article(article)
    assert analysis.checks
    headings = next(check for check in analysis.checks if check.key == "heading_order")
    assert headings.status == "pass"
