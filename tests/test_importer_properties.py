"""
Properties of the importer's parsers, which read uploaded export files: for
any input they answer or refuse with their own error, and their work grows
in proportion to the input.

Linear time is checked by counting work, not by timing it: the number of
Python and C function calls made (sys.setprofile), which is the same on an
idle and on a loaded machine. Doubling the input may at most roughly double
the calls. A regular expression's backtracking happens inside one C call
and is not counted, so those examples also have a generous deadline.
"""

import contextlib
import math
import sys
from datetime import timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.importers.wordpress import blocks, php, render

SITE = "https://goldcitymedicalcenter.nl"
# Each example stays well under a second; seconds mean the work exploded.
BACKSTOP = settings(deadline=timedelta(seconds=5))


def calls(function, *args, **kwargs):
    """How many function calls running function(*args, **kwargs) makes."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(None)
    return count


def assert_linear(function, unit, *, times=8, **kwargs):
    """Twice the input costs at most about twice the calls (plus a constant)."""
    once = calls(function, unit * times, **kwargs)
    twice = calls(function, unit * (2 * times), **kwargs)
    assert twice <= 2.3 * once + 2000, (once, twice)


# PHP's serialize() format
# ------------------------------------------------------------------------------


def serialized(value):
    """What PHP's serialize() writes for a plain value."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, float):
        return f"d:{php_float(value)};"
    if isinstance(value, str):
        return f's:{len(value.encode())}:"{value}";'
    items = "".join(serialized(key) + serialized(item) for key, item in value.items())
    return f"a:{len(value)}:{{{items}}}"


def php_float(value):
    """A float as serialize() writes it: INF, 100, 0.1, 1.0E+25, 1.5E-7."""
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    written = repr(value)
    if "e" in written:
        mantissa, exponent = written.split("e")
        mantissa += "" if "." in mantissa else ".0"
        return f"{mantissa}E{int(exponent):+d}"
    return written.removesuffix(".0")


plain_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda children: st.dictionaries(
        st.integers(0, 99) | st.text(max_size=5), children, max_size=4
    ),
    max_leaves=20,
)


def mutated(text, data):
    """text with a cut, a changed character or an inserted one, as a damaged file has."""
    if not text:
        return text
    position = data.draw(st.integers(0, len(text) - 1))
    kind = data.draw(st.sampled_from(["cut", "change", "insert", "delete"]))
    character = data.draw(st.sampled_from(list('aisdbNO:;{}"0123456789-.E\\')))
    return {
        "cut": text[:position],
        "change": text[:position] + character + text[position + 1 :],
        "insert": text[:position] + character + text[position:],
        "delete": text[:position] + text[position + 1 :],
    }[kind]


@given(plain_values)
def test_unserialize_reads_back_what_php_serializes(value):
    assert php.unserialize(serialized(value)) == value


@given(plain_values, st.data())
@example(None, None)
def test_unserialize_raises_only_its_own_error_for_damaged_input(value, data):
    text = mutated(serialized(value), data) if data is not None else "a:9999999999:{"
    with contextlib.suppress(php.PHPSerializeError):
        php.unserialize(text)


@given(st.text(alphabet='aisdbNOC:;{}"0123456789-.E', max_size=200))
@example("a:1:{" * 100)
@example('O:8:"stdClass":0:{}')
@example("r:1;")
@example("i:" + "9" * 5000 + ";")
def test_unserialize_raises_only_its_own_error_for_any_text(text):
    with contextlib.suppress(php.PHPSerializeError):
        php.unserialize(text)


# wpautop and the shortcodes
# ------------------------------------------------------------------------------

classic_pieces = st.sampled_from(
    [
        "\n", "\n\n", "\r\n", " ", "text", "<p>", "</p>", "<div>", "</div>", "<pre>",
        "</pre>", "<br>", "<br />", "<blockquote>", "<h2 class=\"a\">", "</h2>",
        "[caption id=\"attachment_5\" width=\"300\"]", "[/caption]", "[gallery ids=\"1,2\"]",
        "[embed]", "[/embed]", "https://youtu.be/dQw4w9WgXcQ", "<img src=\"a.jpg\"",
        " class=\"wp-image-7\">", "<", ">", "\"", "'", "[", "]", "<!-- wp:paragraph -->",
        "<table>", "<td>", "&amp;", "\u00a0", "[contact-form-7 id=\"1\"",
    ]
)  # fmt: skip
classic_text = st.lists(classic_pieces | st.text(max_size=5), max_size=40).map("".join)


@given(classic_text)
@example("<pre-x>")  # Found by hypothesis: text taken for a marker of <pre>.
@example("a\n\n<pre-1>\n\nb")
@BACKSTOP
def test_wpautop_never_raises(text):
    assert isinstance(render.autop(text), str)


def test_wpautop_keeps_text_that_looks_like_its_markers():
    assert (
        render.autop("<pre-0>\n\n<pre>code</pre>") == "<p><pre-0></p>\n<pre>code</pre>"
    )


@given(classic_text)
@BACKSTOP
def test_rendering_classic_content_never_raises(text):
    assert isinstance(render.render_content(text, attachments={}, post_id=1), str)


@given(classic_text.filter(bool))
@example("<pre>\n")
@example("[caption]")
@example("<p")
@BACKSTOP
def test_wpautop_takes_linear_time(unit):
    assert_linear(render.autop, unit)


@given(classic_text.filter(bool))
@example("[gallery ")
@example("[caption ")
@BACKSTOP
def test_rendering_classic_content_takes_linear_time(unit):
    assert_linear(render.render_content, unit, attachments={}, post_id=1)


# The block converter
# ------------------------------------------------------------------------------

block_pieces = st.sampled_from(
    [
        "<p>", "</p>", "<h2>Key Takeaways</h2>", "<h2>References</h2>", "<h3>FAQ</h3>",
        "<ul>", "<li>", "</li>", "</ul>", "<figure class=\"wp-block-image\">", "</figure>",
        "<img src=\"https://goldcitymedicalcenter.nl/wp-content/uploads/a.jpg\" class=\"wp-image-9\" width=\"300\">",
        "<figcaption>", "</figcaption>", "<a href=\"https://goldcitymedicalcenter.nl/x/\">",
        "</a>", "<div class=\"wp-block-rank-math-faq-block\">", "<div class=\"rank-math-faq-item\">",
        "<h3 class=\"rank-math-question\">", "<div class=\"rank-math-answer\">", "</div>",
        "<div class=\"schema-faq wp-block-yoast-faq-block\">", "<strong class=\"schema-faq-question\">",
        "</strong>", "<p class=\"schema-faq-answer\">", "<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\">",
        "</iframe>", "<figure class=\"wp-block-embed is-provider-vimeo\"><div class=\"wp-block-embed__wrapper\">https://vimeo.com/76979871",
        "<script>", "</script>", "<!-- wp:image -->", "<!--", "-->", "<table><tr><td>",
        "<h1>", "<h6>", "text ", "Smith J (2020) Title. doi:10.1000/182 PMID: 12345", "<br>",
        "<", ">", "&amp;", "<svg onload=x>", "<div class=\"wp-block-button\"><a href=\"/b\">b</a></div>",
    ]
)  # fmt: skip
post_html = st.lists(block_pieces | st.text(max_size=5), max_size=40).map("".join)


@given(post_html, st.none() | st.integers(1, 20))
# Found by hypothesis: a comment inside nested embeds was destroyed twice.
@example(
    '<a href="/x/"><figure class="wp-block-embed is-provider-vimeo">'
    '<div class="wp-block-embed__wrapper">https://vimeo.com/76979871<!-- wp:image -->'
    * 2,
    None,
)
@BACKSTOP
def test_block_converter_never_raises(html, featured_media):
    content = blocks.convert(html, site_url=SITE, featured_media=featured_media)

    assert isinstance(content.body, str)


@given(post_html.filter(bool))
@example("<p><p><p><p><h3>FAQ</h3>")  # Found by hypothesis: unclosed paragraphs.
@example("<div>")
@example("<ul><li>")
@example("<h2>References</h2><p>")
@example('<div class="rank-math-faq-item"><h3 class="rank-math-question">q')
@example(  # Found by hypothesis: a mistyped embed tag nests the next one.
    '<p><A<figure class="wp-block-embed is-provider-vimeo">'
    '<div class="wp-block-embed__wrapper">https://vimeo.com/76979871'
)
@BACKSTOP
def test_block_converter_takes_linear_time(unit):
    assert_linear(blocks.convert, unit, site_url=SITE)


@given(st.text(max_size=300))
@BACKSTOP
def test_citations_are_parsed_from_any_text(text):
    citation = blocks.parse_citation(text)

    assert isinstance(citation.title, str)
