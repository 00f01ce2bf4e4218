"""Properties of the one HTML allowlist, for any input hypothesis can build."""

import html
import re
from html.parser import HTMLParser

from hypothesis import example, given
from hypothesis import strategies as st

from articles.sanitize import safe_url, sanitize_inline, sanitize_rich_text

TAGS = [
    "p", "a", "img", "h2", "h5", "ul", "li", "table", "td", "figure", "figcaption",
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input",
    "template", "noscript", "meta", "base", "link", "textarea", "title", "xmp",
    "select", "option", "div", "span", "b", "em", "code", "br", "hr", "aside",
]  # fmt: skip
ATTRIBUTES = [
    "href", "src", "alt", "title", "style", "onerror", "onload", "onclick",
    "ONMOUSEOVER", "formaction", "xlink:href", "srcdoc", "data-embed", "data-file",
    "width", "colspan", "start", "class", "id", "action", "background",
]  # fmt: skip
SCHEMES = [
    "javascript:", "JaVaScRiPt:", "java\tscript:", " javascript:", "javascript&colon;",
    "&#106;avascript:", "&#x6A;avascript:", "data:", "data:text/html;base64,", "vbscript:",
    "jav&#x09;ascript:", "https:", "http:", "mailto:", "tel:", "//", "",
]  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
REMOVED_ELEMENTS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input",
    "template", "meta", "base", "link", "textarea", "select", "option",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background"}
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
attribute_value = st.one_of(
    text, st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(SCHEMES), text)
)
attribute = st.builds(
    lambda name, value, quote: f" {name}={quote}{value}{quote}",
    st.sampled_from(ATTRIBUTES),
    attribute_value,
    st.sampled_from(['"', "'", ""]),
)
start_tag = st.builds(
    lambda name, attributes, close: f"<{name}{''.join(attributes)}{close}>",
    st.sampled_from(TAGS),
    st.lists(attribute, max_size=3),
    st.sampled_from(["", "/", " "]),
)
end_tag = st.builds(lambda name: f"</{name}>", st.sampled_from(TAGS))
fragment = st.one_of(
    start_tag,
    end_tag,
    text,
    st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<", ">", "&", "&lt;", "\x00"]),
)
hostile_html = st.lists(fragment, max_size=30).map("".join)


class Surface(HTMLParser):
    """What a browser would act on in sanitized output: tags, attributes, URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def surface(markup):
    parser = Surface()
    parser.feed(markup)
    parser.close()
    return parser


def assert_harmless(markup):
    found = surface(markup)
    assert not REMOVED_ELEMENTS & set(found.tags), markup
    for name, value in found.attributes:
        assert not name.startswith("on"), markup
        assert name not in ("style", "srcdoc"), markup
        if name in URL_ATTRIBUTES:
            url = INVISIBLE.sub("", html.unescape(value)).lower()
            assert not url.startswith(DANGEROUS_SCHEMES), markup


@given(hostile_html)
@example('<a href="jav&#x09;ascript:alert(1)">x</a>')
@example("<svg><script>alert(1)</script></svg>")
@example("<img src=x onerror=alert(1)//>")
def test_no_script_handler_or_dangerous_url_survives_the_rich_text_allowlist(markup):
    assert_harmless(sanitize_rich_text(markup))


@given(hostile_html)
def test_no_script_handler_or_dangerous_url_survives_the_inline_allowlist(markup):
    assert_harmless(sanitize_inline(markup))


@given(hostile_html)
@example("<table><p>x</p></table>")
@example("<p><h2>a</h2></p>")
@example("<p><select><p>")  # Found by hypothesis: a <p> left inside a <p>.
def test_the_rich_text_allowlist_is_idempotent(markup):
    once = sanitize_rich_text(markup)

    assert sanitize_rich_text(once) == once


@given(hostile_html)
@example("<p><select><p>")
def test_the_inline_allowlist_is_idempotent(markup):
    once = sanitize_inline(markup)

    assert sanitize_inline(once) == once


@given(st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(SCHEMES), text))
def test_safe_url_keeps_only_plain_http_urls(url):
    kept = safe_url(url)

    assert kept in ("", url.strip())
    assert not kept or kept.lower().startswith(("http://", "https://"))
