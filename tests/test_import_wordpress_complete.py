"""WXR files, every block type, both SEO plugins, and the redirects that keep old URLs working."""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from articles import richtext
from articles.importers.wordpress import blocks
from articles.importers.wordpress.load import import_items, import_post
from articles.importers.wordpress.sources import parse_post, read_posts
from articles.models import Article, Category, Redirect, Tag
from tests.factories import make_category

SEED = Path(django_settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
SITE = "https://goldcitymedicalcenter.nl"

EVERY_BLOCK = """
<!-- wp:paragraph --><p>Caf&eacute; &amp; <strong>tea</strong> &#8211; fine.</p><!-- /wp:paragraph -->
<!-- wp:heading --><h2 class="wp-block-heading">Section</h2><!-- /wp:heading -->
<!-- wp:list --><ul class="wp-block-list"><li>One</li><li>Two</li></ul><!-- /wp:list -->
<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>Dose</th></tr></thead><tbody><tr><td>5 mg</td></tr></tbody></table><figcaption>Doses</figcaption></figure><!-- /wp:table -->
<!-- wp:quote --><blockquote class="wp-block-quote"><p>Move a little.</p><cite>Dr. A</cite></blockquote><!-- /wp:quote -->
<!-- wp:image --><figure class="wp-block-image"><img src="https://goldcitymedicalcenter.nl/wp-content/uploads/a.jpg" alt="A stretch" class="wp-image-501" width="800" height="600"/><figcaption>A <em>stretch</em></figcaption></figure><!-- /wp:image -->
<!-- wp:gallery --><figure class="wp-block-gallery has-nested-images"><figure class="wp-block-image"><img src="https://goldcitymedicalcenter.nl/wp-content/uploads/b.jpg" alt="B" class="wp-image-502"/></figure><figure class="wp-block-image"><img src="https://goldcitymedicalcenter.nl/wp-content/uploads/c.jpg" alt="C" class="wp-image-503"/></figure></figure><!-- /wp:gallery -->
<!-- wp:embed --><figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div><figcaption>How to stretch</figcaption></figure><!-- /wp:embed -->
<!-- wp:embed --><figure class="wp-block-embed is-type-video is-provider-vimeo"><div class="wp-block-embed__wrapper"><iframe title="Vimeo talk" src="https://player.vimeo.com/video/76979871?dnt=1" onload="alert(1)"></iframe></div></figure><!-- /wp:embed -->
<!-- wp:buttons --><div class="wp-block-buttons"><div class="wp-block-button"><a class="wp-block-button__link" href="https://goldcitymedicalcenter.nl/en/contact/">Book a visit</a></div></div><!-- /wp:buttons -->
<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->
<h2>Frequently asked questions</h2>
<div class="schema-faq wp-block-yoast-faq-block"><div class="schema-faq-section"><strong class="schema-faq-question">Is it safe?</strong> <p class="schema-faq-answer">Mostly &amp; usually.</p></div></div>
<script>alert(2)</script><p onclick="alert(3)"><a href="javascript:alert(4)">bad</a></p>
"""


def wxr(items: str, *, extra_channel: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Gold City</title>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:author><wp:author_id>7</wp:author_id><wp:author_login><![CDATA[jane]]></wp:author_login>
    <wp:author_email><![CDATA[jane@example.org]]></wp:author_email>
    <wp:author_display_name><![CDATA[Dr. Jane &amp; Co]]></wp:author_display_name></wp:author>
  <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[health]]></wp:category_nicename>
    <wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Health]]></wp:cat_name></wp:category>
  <wp:category><wp:term_id>12</wp:term_id><wp:category_nicename><![CDATA[beauty]]></wp:category_nicename>
    <wp:category_parent><![CDATA[health]]></wp:category_parent><wp:cat_name><![CDATA[Beauty]]></wp:cat_name></wp:category>
  <wp:tag><wp:term_id>40</wp:term_id><wp:tag_slug><![CDATA[sleep]]></wp:tag_slug><wp:tag_name><![CDATA[Sleep]]></wp:tag_name></wp:tag>
  {extra_channel}
  {items}
</channel>
</rss>"""


def wxr_item(
    post_id: int,
    *,
    slug: str,
    link: str,
    post_type: str = "post",
    status: str = "publish",
    content: str = "<p>Hello.</p>",
    meta: dict | None = None,
    old_slugs: tuple = (),
    extra: str = "",
) -> str:
    postmeta = "".join(
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in [
            *(meta or {}).items(),
            *(("_wp_old_slug", old) for old in old_slugs),
        ]
    )
    return f"""<item>
  <title><![CDATA[Title {post_id} &amp; more]]></title>
  <link>{link}</link>
  <dc:creator><![CDATA[jane]]></dc:creator>
  <guid isPermaLink="false">{SITE}/?p={post_id}</guid>
  <content:encoded><![CDATA[{content}]]></content:encoded>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>{post_id}</wp:post_id>
  <wp:post_date><![CDATA[2026-02-06 16:47:03]]></wp:post_date>
  <wp:post_date_gmt><![CDATA[2026-02-06 15:47:03]]></wp:post_date_gmt>
  <wp:post_modified_gmt><![CDATA[2026-02-07 10:00:00]]></wp:post_modified_gmt>
  <wp:comment_status><![CDATA[open]]></wp:comment_status>
  <wp:ping_status><![CDATA[closed]]></wp:ping_status>
  <wp:post_name><![CDATA[{slug}]]></wp:post_name>
  <wp:status><![CDATA[{status}]]></wp:status>
  <wp:post_type><![CDATA[{post_type}]]></wp:post_type>
  <wp:post_password><![CDATA[]]></wp:post_password>
  <wp:is_sticky>0</wp:is_sticky>
  <category domain="category" nicename="beauty"><![CDATA[Beauty]]></category>
  <category domain="post_tag" nicename="sleep"><![CDATA[Sleep]]></category>
  {postmeta}{extra}
</item>"""


ATTACHMENT = f"""<item><title>Hero</title><link>{SITE}/hero/</link>
  <wp:post_id>900</wp:post_id><wp:post_type><![CDATA[attachment]]></wp:post_type>
  <wp:status>inherit</wp:status><wp:post_name>hero</wp:post_name>
  <wp:attachment_url><![CDATA[{SITE}/wp-content/uploads/hero.jpg]]></wp:attachment_url>
  <wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[A hero]]></wp:meta_value></wp:postmeta>
</item>"""


@pytest.fixture(autouse=True)
def wordpress_site(settings):
    settings.WORDPRESS_SITE_URL = SITE
    settings.SITE_NAME = "Gold City"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def run(paths):
    return list(import_items(read_posts(paths)))


# WXR


def test_wxr_post_is_imported_with_author_terms_parents_and_featured_image(
    db, tmp_path
):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_item(
                9580,
                slug="back-spasm-remedy",
                link=f"{SITE}/en/beauty/back-spasm-remedy/",
                meta={"_thumbnail_id": "900", "_edit_lock": "1:1"},
            )
            + ATTACHMENT
        ),
    )

    outcomes = run([path])

    assert [(outcome.action, outcome.title) for outcome in outcomes] == [
        ("created", "site settings: Gold City"),
        ("created", "image hero.jpg"),
        ("created", "Title 9580 & more"),
    ]
    article = Article.objects.get(wordpress_id=9580)
    assert article.title == "Title 9580 & more"
    assert article.get_absolute_url() == "/en/beauty/back-spasm-remedy/"
    assert article.author.display_name == "Dr. Jane & Co"
    assert article.author.wordpress_id == 7
    beauty = Category.objects.get(slug="beauty")
    assert (beauty.wordpress_id, beauty.parent.slug, beauty.parent.wordpress_id) == (
        12,
        "health",
        3,
    )
    assert list(article.tags.values_list("slug", "wordpress_id")) == [("sleep", 40)]
    assert article.featured_image.source_url == f"{SITE}/wp-content/uploads/hero.jpg"
    assert article.featured_image.alt_text == "A hero"
    assert article.wordpress_extra["comment_status"] == "open"
    assert "_edit_lock" not in json.dumps(article.wordpress_extra)
    assert "jane@example.org" not in json.dumps(article.wordpress_extra)
    assert not Redirect.objects.exists()  # The permalink fits the site's URL shape.


def test_wxr_post_language_comes_from_its_polylang_language_term(db, tmp_path):
    """Polylang files a post under a term of its language taxonomy, which WXR lists with the post's terms."""
    item = wxr_item(
        95,
        slug="rugkramp",
        link=f"{SITE}/2026/02/06/rugkramp/",
        content="<h2>Literatuur</h2><p>RIVM. Lage rugpijn. 2021.</p>",
        extra='<category domain="language" nicename="nl"><![CDATA[Nederlands]]></category>',
    )

    run([write(tmp_path, "export.xml", wxr(item))])

    article = Article.objects.get(wordpress_id=95)
    assert article.language == "nl"
    assert (article.body, article.references.get().title) == ("", "Lage rugpijn")


def test_wxr_items_of_other_types_are_skipped_with_a_reason(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_item(1, slug="pattern", link=f"{SITE}/pattern/", post_type="wp_block")
            + wxr_item(2, slug="menu", link=f"{SITE}/menu/", post_type="nav_menu_item")
            + wxr_item(3, slug="draft", link=f"{SITE}/?p=3", status="draft")
        ),
    )

    outcomes = run([path])

    assert [(o.action, o.reason) for o in outcomes[1:3]] == [
        ("skipped", "a wp_block of WordPress, not a post"),
        ("skipped", "a menu item of no menu"),
    ]
    assert outcomes[3].action == "created"
    assert Article.objects.get().status == Article.Status.DRAFT


def test_wxr_yoast_meta_is_mapped_with_variables_resolved(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_item(
                5,
                slug="yoast",
                link=f"{SITE}/en/beauty/yoast/",
                meta={
                    "_yoast_wpseo_title": "%%title%% %%sep%% %%sitename%%",
                    "_yoast_wpseo_metadesc": "About %%title%%",
                    "_yoast_wpseo_focuskw": "sleep",
                    "_yoast_wpseo_canonical": "https://other.example/original/",
                },
            )
        ),
    )

    run([path])

    article = Article.objects.get()
    assert article.seo_title == "Title 5 & more – Gold City"
    assert article.meta_description == "About Title 5 & more"
    assert article.focus_keyphrases == "sleep"
    assert article.canonical_url == "https://other.example/original/"


def test_wxr_rank_math_meta_is_mapped(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_item(
                6,
                slug="rm",
                link=f"{SITE}/en/beauty/rm/",
                meta={
                    "rank_math_title": "%title% %sep% %sitename%",
                    "rank_math_description": "Short.",
                    "rank_math_focus_keyword": "a,b",
                },
            )
        ),
    )

    run([path])

    article = Article.objects.get()
    assert (article.seo_title, article.meta_description, article.focus_keyphrases) == (
        "Title 6 & more – Gold City",
        "Short.",
        "a,b",
    )


def test_wxr_classic_content_gets_paragraphs(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_item(
                8,
                slug="classic",
                link=f"{SITE}/en/beauty/classic/",
                content="First line\nsecond line\n\nNext paragraph",
            )
        ),
    )

    run([path])

    assert Article.objects.get().body == (
        "<p>First line<br>\nsecond line</p>\n<p>Next paragraph</p>"
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<rss><channel><item><title>x</title>", "not a valid WXR file"),
        ("<html><body>not an export</body></html>", "not a WXR file: no <item>"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss>&b;</rss>',
            "not a valid WXR file",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<rss><channel><item><title>&x;</title></item></channel></rss>",
            "not a valid WXR file",
        ),
    ],
    ids=["truncated", "not-wxr", "entity-expansion", "external-entity"],
)
def test_bad_wxr_files_fail_with_a_reason_and_others_still_import(
    db, tmp_path, text, error
):
    bad = write(tmp_path, "1-bad.xml", text)
    good = write(
        tmp_path,
        "2-good.xml",
        wxr(wxr_item(9, slug="good", link=f"{SITE}/en/beauty/good/")),
    )

    outcomes = run([bad, good])

    assert outcomes[0].action == "failed" and error in outcomes[0].reason
    assert outcomes[0].title == str(bad)
    assert outcomes[-1].action == "created"
    assert "root:" not in json.dumps(list(Article.objects.values()), default=str)


def test_wxr_import_is_idempotent(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_item(
                10,
                slug="new",
                link=f"{SITE}/2026/02/06/new/",
                old_slugs=("old",),
            )
        ),
    )

    first = run([path])
    redirects = list(Redirect.objects.values_list("old_path", flat=True))
    second = run([path])

    assert [o.action for o in first] == ["created", "created"]  # The site, the post.
    assert [o.action for o in second] == ["skipped", "unchanged"]
    assert list(Redirect.objects.values_list("old_path", flat=True)) == redirects


def test_command_reads_wxr_and_exits_non_zero_on_failure(db, tmp_path, capsys):
    path = write(tmp_path, "broken.xml", "<rss><channel>")

    with pytest.raises(CommandError, match="1 of 1 items failed"):
        call_command("import_wordpress", str(path))

    assert "not a valid WXR file" in capsys.readouterr().out


# Redirects


def test_permalink_that_does_not_fit_gets_a_301_and_old_slugs_too(db, tmp_path):
    path = write(
        tmp_path,
        "export.xml",
        wxr(
            wxr_item(
                11,
                slug="new-name",
                link=f"{SITE}/2026/02/06/new-name/",
                old_slugs=("old-name", "older-name"),
            )
        ),
    )

    run([path])

    article = Article.objects.get()
    assert article.get_absolute_url() == "/en/beauty/new-name/"
    assert {
        (r.old_path, r.new_path, r.status_code, r.object_id)
        for r in Redirect.objects.all()
    } == {
        (path, "/en/beauty/new-name/", 301, article.pk)
        for path in (
            "/2026/02/06/new-name/",
            "/2026/02/06/old-name/",
            "/2026/02/06/older-name/",
            "/en/beauty/old-name/",
            "/en/beauty/older-name/",
        )
    }


def test_plain_permalink_gets_a_redirect_with_its_query(db):
    data = json.loads(SEED.read_text())
    data["link"] = f"{SITE}/?p=9580"

    import_post(parse_post(data, source="seed.json"))

    assert list(Redirect.objects.values_list("old_path", "new_path")) == [
        ("/?p=9580", "/en/beauty/back-spasm-remedy/")
    ]


def test_seed_permalink_fits_and_needs_no_redirect(db):
    import_post(parse_post(json.loads(SEED.read_text()), source="seed.json"))

    assert not Redirect.objects.exists()


def test_slug_change_on_reimport_redirects_the_old_address_without_chains(db):
    data = json.loads(SEED.read_text())
    data["link"] = f"{SITE}/2026/back-spasm-remedy/"
    import_post(parse_post(data, source="seed.json"))
    data["slug"] = "back-spasms"
    data["link"] = f"{SITE}/2026/back-spasms/"
    data["modified_gmt"] = "2026-03-01T10:00:00"

    assert import_post(parse_post(data, source="seed.json")).action == "updated"
    assert import_post(parse_post(data, source="seed.json")).action == "unchanged"

    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/2026/back-spasm-remedy/": "/en/beauty/back-spasms/",
        "/2026/back-spasms/": "/en/beauty/back-spasms/",
        "/en/beauty/back-spasm-remedy/": "/en/beauty/back-spasms/",
    }


def test_primary_category_is_the_one_the_permalink_names(db):
    data = json.loads(SEED.read_text())
    data["categories"] = [5, 12]
    data["class_list"] = [*data["class_list"], "category-health"]
    data["class_list"].remove("category-beauty")
    data["class_list"] += ["category-beauty"]

    import_post(parse_post(data, source="seed.json"))

    assert Article.objects.get().get_absolute_url() == "/en/beauty/back-spasm-remedy/"
    assert not Redirect.objects.exists()


# Blocks


def test_every_block_type_converts_without_loss_and_safely():
    content = blocks.convert(EVERY_BLOCK, site_url=SITE)
    soup = BeautifulSoup(content.body, "html.parser")

    assert "<p>Café &amp; <strong>tea</strong> – fine.</p>" in content.body
    assert soup.find("h2").get_text() == "Section"
    assert [li.get_text() for li in soup.find("ul").find_all("li")] == ["One", "Two"]
    assert soup.find("table").find("td").get_text() == "5 mg"
    assert soup.find("blockquote").get_text(" ", strip=True) == "Move a little. Dr. A"
    assert [figure.alt for figure in content.figures] == ["A stretch", "B", "C"]
    assert content.figures[0].caption == "A <em>stretch</em>"
    youtube = soup.find("figure", attrs={"data-embed": "youtube:dQw4w9WgXcQ"})
    assert youtube.a["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert youtube.figcaption.get_text() == "How to stretch"
    vimeo = soup.find("figure", attrs={"data-embed": "vimeo:76979871"})
    assert vimeo.a.get_text() == "Vimeo talk"
    assert soup.find("a", string="Book a visit")["href"] == "/en/contact/"
    assert soup.find("a", string="Book a visit").parent.name == "p"
    assert soup.find("hr") is not None
    assert [(q.question, q.answer) for q in content.faq] == [
        ("Is it safe?", "<p>Mostly &amp; usually.</p>")
    ]
    assert "Frequently asked" not in content.body
    assert not soup.find_all(["script", "iframe"])


def test_stored_videos_never_contain_an_iframe_and_render_click_to_load(db):
    data = json.loads(SEED.read_text())
    data["content"]["rendered"] = EVERY_BLOCK

    import_post(parse_post(data, source="seed.json"))

    body = Article.objects.get().body
    assert "<iframe" not in body and "youtube-nocookie" not in body
    assert '<figure data-embed="youtube:dQw4w9WgXcQ">' in body
    rendered = richtext.render_videos(body)
    assert (
        '<figure class="video-embed" data-embed="youtube:dQw4w9WgXcQ" '
        'data-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1">'
    ) in rendered
    assert "https://player.vimeo.com/video/76979871?dnt=1&amp;autoplay=1" in rendered


def test_article_page_with_a_video_loads_the_small_script_and_no_player(db, client):
    data = json.loads(SEED.read_text())
    data["content"]["rendered"] = EVERY_BLOCK
    import_post(parse_post(data, source="seed.json"))

    html = client.get(Article.objects.get().get_absolute_url()).content.decode()

    assert "js/video-embed" in html
    assert "<iframe" not in html
    assert 'class="video-embed"' in html


def test_a_forged_embed_attribute_renders_as_a_plain_figure():
    assert richtext.render_videos(
        '<figure data-embed="youtube:x&quot; onload=&quot;"><a>v</a></figure>'
    ) == ('<figure data-embed="youtube:x&quot; onload=&quot;"><a>v</a></figure>')


def test_bare_iframes_of_other_sites_are_removed():
    content = blocks.convert(
        '<p>a</p><iframe src="https://evil.example/"></iframe>', site_url=SITE
    )

    assert content.body == "<p>a</p>"


# Yoast in REST


def test_rest_yoast_head_json_fills_the_seo_fields(db):
    data = json.loads(SEED.read_text())
    data["meta"] = {}
    data["yoast_head_json"] = {
        "title": "Relief for back spasms at home",
        "description": "Home remedies that work.",
        "canonical": data["link"],
        "robots": {"index": "noindex", "follow": "follow"},
    }

    import_post(parse_post(data, source="seed.json"))

    article = Article.objects.get()
    assert article.seo_title == "Relief for back spasms at home"
    assert article.meta_description == "Home remedies that work."
    assert article.canonical_url == ""  # It named the post itself.
    assert article.robots_noindex and not article.robots_nofollow


def test_rest_yoast_default_title_is_not_frozen(db):
    data = json.loads(SEED.read_text())
    data["meta"] = {}
    data["yoast_head_json"] = {"title": f"{data['title']['rendered']} - Gold City WP"}

    import_post(parse_post(data, source="seed.json"))

    assert Article.objects.get().seo_title == ""


# Command


def test_progress_bar_is_drawn_on_request(db, capsys):
    call_command("import_wordpress", str(SEED), "--progress")

    err = capsys.readouterr().err
    assert "1/1" in err and "100%" in err


# The old site's feed addresses


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/feed/", "/en/feed/"),
        ("/feed/rss2/", "/en/feed/"),
        ("/feed/atom/", "/en/feed/atom/"),
        ("/category/beauty/feed/", "/en/beauty/feed/"),
        ("/category/health/beauty/feed/atom/", "/en/beauty/feed/atom/"),
        ("/tag/back-pain/feed/", "/en/tag/back-pain/feed/"),
        ("/tag/back-pain/feed/rss/", "/en/tag/back-pain/feed/"),
    ],
)
def test_wordpress_feed_addresses_answer_301_to_our_feeds(db, client, old, new):
    make_category(slug="beauty", name="Beauty")
    Tag.objects.create(name="back pain", slug="back-pain")

    response = client.get(old)

    assert (response.status_code, response["Location"]) == (301, new)
    assert client.get(new).status_code == 200


def test_feeds_of_terms_the_site_does_not_have_are_404(db, client):
    assert client.get("/category/nothing/feed/").status_code == 404
    assert client.get("/tag/nothing/feed/").status_code == 404


def test_the_comments_feed_is_gone(db, client):
    """No comments here: 410 tells a feed reader to stop polling, where a 301 would feed it articles."""
    assert client.get("/comments/feed/").status_code == 410
    assert client.get("/comments/feed/atom/").status_code == 410
