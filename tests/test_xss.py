"""
Every XSS payload, through every field a person or an importer can fill,
onto every public surface and the admin: no payload may come out as markup
that runs. Pages are parsed, not searched for strings, so a payload that
arrives escaped as text passes and one that arrives as an element fails.
"""

import html
import json
import re
import warnings
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from django.conf import settings
from django.urls import reverse

from articles import languages
from articles.models import FAQItem, KeyTakeaway, Reference, Tag
from tests.factories import make_article, make_author, make_category, make_image

pytestmark = pytest.mark.django_db

PAYLOADS = [
    # Scripts
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script src=data:text/javascript,alert(1)></script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # Event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" OnErRoR="alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>hover</div>",
    '<a href="https://example.org" onclick="alert(1)">link</a>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    # javascript:, data: and vbscript: URLs
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<a href="vbscript:msgbox(1)">x</a>',
    "javascript:alert(1)",
    "JAVASCRIPT:alert(document.cookie)",
    " data:text/html,<script>alert(1)</script>",
    '<a href="//evil.example/steal">protocol-relative</a>',
    '<a href="\\\\evil.example">backslashes</a>',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<math href="javascript:alert(1)">x</math>',
    # CSS
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{background:url('javascript:alert(1)')}</style>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # Broken and nested tags
    "<<script>alert(1);//<</script>",
    "<img src=x onerror=alert(1)//",
    '<a href="https://example.org"<script>alert(1)</script>>',
    "<p>unclosed <b>bold <i>italic",
    "<iframe src=javascript:alert(1)",
    # Entity tricks
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&lt;img src=x onerror=alert(1)&gt;",
    # Frames, objects, forms, meta refresh, base
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    # Template injection: stored text is never a template
    "{{ 7|add:7 }}{% debug %}",
    "{{ settings.SECRET_KEY }}",
    "{% load static %}{% csrf_token %}",
    "${alert(1)}",
]

# Pages may load only scripts of their own: static files and the admin's
# JavaScript catalogue.
OWN_SCRIPT_PREFIXES = ("/static/", "/admin/jsi18n/")
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = (
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "poster",
    "xlink:href",
)
FORBIDDEN_IN_CONTENT = ("iframe", "object", "embed", "form", "base", "frame", "applet")


def scheme_of(url):
    """The URL's scheme as a browser reads it: entities decoded, whitespace and controls dropped."""
    url = html.unescape(url)
    return re.sub(r"[\x00-\x20\x7f]+", "", url).lower()


def assert_no_live_markup(markup, *, where, admin=False):
    """Assert that the HTML holds nothing that runs: the checks of the payload suite."""
    with warnings.catch_warnings():
        # A payload such as "javascript:alert(1)" looks like a URL to bs4.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all(True):
        name = element.name.lower()
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            assert not attribute.lower().startswith("on"), (where, str(element)[:200])
            if attribute.lower() in URL_ATTRIBUTES:
                for candidate in value.split(","):
                    assert not scheme_of(candidate).startswith(BAD_SCHEMES), (
                        where,
                        str(element)[:200],
                    )
            if attribute.lower() == "style":
                style = re.sub(r"\s+", "", html.unescape(value)).lower()
                assert "expression(" not in style, (where, str(element)[:200])
                assert "url(javascript" not in style, (where, str(element)[:200])
        if name == "script":
            assert_own_script(element, where=where)
        elif name == "meta":
            assert element.get("http-equiv", "").lower() != "refresh", where
        elif admin:
            # The admin's own forms, icons (<svg>) and styles; content
            # reaches it only as escaped text or form values.
            assert name not in ("iframe", "object", "embed", "base", "math"), where
        elif not is_own_search_form(element):
            assert name not in FORBIDDEN_IN_CONTENT, (where, str(element)[:200])
            assert name not in ("svg", "math", "style"), (where, str(element)[:200])
    assert settings.SECRET_KEY not in markup, where


def is_own_search_form(element):
    """The site's search box: a GET form to a reader search page, nothing a payload made."""
    return (
        element.name == "form"
        and element.get("role") == "search"
        and element.get("method") == "get"
        and re.fullmatch(r"/[a-z]{2}/search/", element.get("action", "")) is not None
    )


def assert_own_script(element, *, where):
    src = element.get("src")
    kind = element.get("type", "")
    if src is not None:
        assert src.startswith(OWN_SCRIPT_PREFIXES), (where, str(element)[:200])
        return
    assert kind in ("application/ld+json", "importmap"), (where, str(element)[:200])
    text = element.string or ""
    assert "</script" not in text.lower(), where
    json.loads(text)


def assert_feed_is_safe(content, *, where):
    """A feed must be well-formed XML, and the HTML it carries must be safe."""
    root = ElementTree.fromstring(content)
    for node in root.iter():
        if node.text and "<" in node.text:
            assert_no_live_markup(node.text, where=f"{where} <{node.tag}>")
        for attribute, value in node.attrib.items():
            if attribute in ("href", "src", "url"):
                assert not scheme_of(value).startswith(BAD_SCHEMES), where


def assert_json_is_safe(data, *, where, key=""):
    """Rendered HTML in the WordPress API is checked as HTML; URLs by their scheme."""
    if isinstance(data, dict):
        for name, value in data.items():
            assert_json_is_safe(value, where=where, key=name)
    elif isinstance(data, list):
        for value in data:
            assert_json_is_safe(value, where=where, key=key)
    elif isinstance(data, str):
        if key == "rendered":
            assert_no_live_markup(data, where=f"{where} {key}")
        elif key in ("link", "url", "href", "source_url", "avatar_urls"):
            assert not scheme_of(data).startswith(BAD_SCHEMES), (where, key, data)


def article_with_payload(payload, n):
    """An article with the payload in every field that reaches a page."""
    category = make_category(
        name=payload, slug=f"xss-category-{n}", description=payload
    )
    author = make_author(
        display_name=payload,
        slug=f"xss-author-{n}",
        bio=payload,
        credentials=payload,
        job_title=payload,
    )
    image = make_image(alt_text=payload, caption=payload, credit=payload, title=payload)
    tag = Tag.objects.create(name=payload[:100], slug=f"xss-tag-{n}")
    article = make_article(
        title=payload,
        slug=f"xss-article-{n}",
        excerpt=payload,
        body=f"<p>Before</p>{payload}<p>After</p>",
        seo_title=payload,
        meta_description=payload,
        primary_category=category,
        author=author,
        featured_image=image,
        tags=[tag],
    )
    KeyTakeaway.objects.create(article=article, text=payload)
    FAQItem.objects.create(article=article, question=payload, answer=payload)
    Reference.objects.create(
        article=article, title=payload, url=payload, publisher=payload
    )
    Reference.objects.create(
        article=article, title="Second", url="javascript:alert(1)", authors=payload
    )
    return article, category, tag, author


def public_pages(article, category, tag, author):
    return [
        article.get_absolute_url(),
        languages.reverse_in("en", "articles:home"),
        category.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
    ]


def feeds(category, tag):
    return [
        languages.reverse_in("en", "articles:feed"),
        languages.reverse_in("en", "articles:atom_feed"),
        languages.reverse_in(
            "en", "articles:category_feed", kwargs={"slug": category.slug}
        ),
        languages.reverse_in("en", "articles:tag_atom_feed", kwargs={"slug": tag.slug}),
    ]


def api_urls(article, category, tag, author):
    return [
        "/wp-json/wp/v2/posts",
        f"/wp-json/wp/v2/posts/{article.pk}",
        f"/wp-json/wp/v2/categories/{category.pk}",
        f"/wp-json/wp/v2/tags/{tag.pk}",
        "/wp-json/wp/v2/users",
        f"/wp-json/wp/v2/media/{article.featured_image_id}",
    ]


def test_there_are_at_least_fifty_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 50


@pytest.mark.parametrize(
    "payload", PAYLOADS, ids=[f"payload-{n}" for n in range(len(PAYLOADS))]
)
def test_payload_survives_on_no_public_surface(client, payload):
    """Article page with JSON-LD, home, archives, feeds, sitemaps and the WordPress API."""
    article, category, tag, author = article_with_payload(payload, n=1)

    for url in public_pages(article, category, tag, author):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_live_markup(response.content.decode(), where=url)
    for url in feeds(category, tag):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_feed_is_safe(response.content, where=url)
    for url in ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-tags.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        # getvalue(): the articles' sitemap is streamed.
        assert_feed_is_safe(response.getvalue(), where=url)
    for url in api_urls(article, category, tag, author):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_json_is_safe(response.json(), where=url)


@pytest.mark.parametrize(
    "payload", PAYLOADS, ids=[f"payload-{n}" for n in range(len(PAYLOADS))]
)
def test_payload_survives_in_no_admin_page(admin_client, payload):
    """The change forms and changelists show stored payloads as text."""
    article, category, tag, author = article_with_payload(payload, n=2)
    urls = [
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_author_change", args=[author.pk]),
        reverse("admin:articles_author_changelist"),
        reverse("admin:articles_category_changelist"),
        reverse("admin:articles_tag_changelist"),
        reverse("admin:articles_image_change", args=[article.featured_image_id]),
        reverse("admin:articles_image_changelist"),
    ]

    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_no_live_markup(response.content.decode(), where=url, admin=True)


ADMIN_FORM_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
]


@pytest.mark.parametrize("payload", ADMIN_FORM_PAYLOADS)
def test_payload_saved_through_the_admin_form_is_sanitized(admin_client, payload):
    category = make_category()
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": payload,
            "slug": "through-the-admin",
            "language": "en",
            "status": "published",
            "published_at_0": "2024-01-01",
            "published_at_1": "10:00:00",
            "primary_category": category.pk,
            "excerpt": payload,
            "body": f"<p>Text</p>{payload}",
            "seo_title": payload,
            "meta_description": payload,
            "takeaways-TOTAL_FORMS": "1",
            "takeaways-INITIAL_FORMS": "0",
            "takeaways-0-text": payload,
            "takeaways-0-order": "0",
            "faq_items-TOTAL_FORMS": "1",
            "faq_items-INITIAL_FORMS": "0",
            "faq_items-0-question": payload,
            "faq_items-0-answer": payload,
            "faq_items-0-order": "0",
            "references-TOTAL_FORMS": "1",
            "references-INITIAL_FORMS": "0",
            "references-0-title": payload,
            "references-0-publisher": payload,
            "references-0-order": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    from articles.models import Article

    article = Article.objects.get(slug="through-the-admin")
    assert_no_live_markup(article.body, where="stored body")
    assert_no_live_markup(article.faq_items.get().answer, where="stored answer")
    page = admin_client.get(article.get_absolute_url())
    assert_no_live_markup(page.content.decode(), where="article page")
