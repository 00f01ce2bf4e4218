"""
Turn the rendered Gutenberg HTML of a WordPress post into the parts the site
stores separately: the body, key takeaways, FAQ items, references and the
images. Pure: no database, no settings.
"""

from __future__ import annotations

import bisect
import html as html_lib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import nh3
from bs4 import (
    BeautifulSoup,
    CData,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
)
from bs4.element import PageElement, Tag

from articles.importers.wordpress.text import plain_text
from articles.sanitize import safe_url, sanitize_inline, sanitize_rich_text
from articles.video_embeds import embed_html, video_from_url

if TYPE_CHECKING:
    from articles.importers.wordpress.sources import WordPressPost

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# The body allows h2 to h4 only: the page title is the h1.
_HEADING_LEVELS = {"h1": "h2", "h5": "h4", "h6": "h4"}
_REMOVED_ELEMENTS = (
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "embed",
    "noscript",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "svg",
    "math",
)


@dataclass(frozen=True)
class SectionNames:
    """What authors writing in one language call the sections the site keeps apart, lower case."""

    takeaways: frozenset[str]
    references: frozenset[str]
    # Prefixes: "FAQ about back pain" introduces the FAQ too.
    faq: tuple[str, ...]


# One entry per language of settings.LANGUAGES (a test holds them together);
# a third language adds its own. A post's sections are recognised by the
# names of every language (section_names()): translated posts often keep a
# heading of the original, and a post whose language is not known is read
# in the default one.
SECTION_NAMES = {
    "en": SectionNames(
        takeaways=frozenset(
            {"key takeaways", "key takeaway", "takeaways", "key points"}
        ),
        references=frozenset(
            {
                "references",
                "reference",
                "sources",
                "bibliography",
                "works cited",
                "citations",
            }
        ),
        faq=("faq", "frequently asked questions"),
    ),
    "nl": SectionNames(
        takeaways=frozenset(
            {
                "belangrijkste punten",
                "belangrijkste inzichten",
                "kernpunten",
                "in het kort",
                "samenvatting",
            }
        ),
        references=frozenset(
            {
                "bronnen",
                "bron",
                "bronnenlijst",
                "bronvermelding",
                "geraadpleegde bronnen",
                "referenties",
                "literatuur",
                "literatuurlijst",
            }
        ),
        faq=(
            "veelgestelde vragen",
            "veel gestelde vragen",
            "vaak gestelde vragen",
            "faq",
            "vragen en antwoorden",
        ),
    ),
}
DEFAULT_SECTION_LANGUAGE = "en"


def section_names(language: str) -> SectionNames:
    """The names that mark a section in a post of language: its own and every other language's."""
    first = SECTION_NAMES.get(language, SECTION_NAMES[DEFAULT_SECTION_LANGUAGE])
    others = [names for names in SECTION_NAMES.values() if names is not first]
    return SectionNames(
        takeaways=first.takeaways.union(*(names.takeaways for names in others)),
        references=first.references.union(*(names.references for names in others)),
        faq=tuple(
            dict.fromkeys(
                first.faq + tuple(prefix for names in others for prefix in names.faq)
            )
        ),
    )


# Tables of contents that plugins render into the content: the page makes its own.
_GENERATED_BLOCK_CLASSES = {
    "wp-block-rank-math-toc-block",
    "yoast-table-of-contents",
    "ez-toc-container",
}
_FAQ_CLASSES = {
    "rank-math": ("rank-math-question", "rank-math-answer"),
    "yoast": ("schema-faq-question", "schema-faq-answer"),
}
# Embed blocks (core/embed, core/video) and bare players of classic content.
_EMBED_CLASSES = {"wp-block-embed", "wp-block-video"}
_PLAIN_URL = re.compile(r"https?://\S+")
# Comments, and markup declarations that could pass for placeholders.
_DROPPED_STRINGS = (Comment, Declaration, Doctype, CData, ProcessingInstruction)
_FIGURE_PLACEHOLDER = re.compile(r"<!--(figure|image):(\d+)-->")
_IMAGE_MARKER = re.compile(r'<img data-file="(\d+)">')
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".avif")
_WP_IMAGE_CLASS = re.compile(r"^wp-image-([1-9][0-9]{0,17})$")
_SRCSET_CANDIDATE = re.compile(r"(\S+)\s+([1-9]\d{0,5})w\b")
_SIZE = re.compile(r"[0-9]{1,6}")
# What the library stores: Image.source_url's length, and a sane picture's side.
MAX_URL_LENGTH = 1000
MAX_IMAGE_SIDE = 100_000
# WordPress ends automatic excerpts with " [&hellip;]" (decoded: " […]").
_EXCERPT_MORE = re.compile(r"\s*\[(?:&hellip;|&#8230;|…|\.\.\.)\]\s*(</p>)?\s*$")
_WHITESPACE = re.compile(r"\s+")
# HTML's own whitespace: a no-break space in a title is meant.
_HTML_WHITESPACE = re.compile(r"[ \t\r\n\f]+")
# Files under wp-content stay on the WordPress server, so links to them stay absolute.
_WORDPRESS_FILES = "/wp-content/"

_text_cleaner = nh3.Cleaner(
    tags=set(), clean_content_tags={"script", "style", "template", "noscript"}
)


@dataclass(frozen=True)
class Figure:
    """An image of the post, described by its original (largest) file."""

    wordpress_id: int | None
    url: str
    alt: str
    width: int | None
    height: int | None
    renditions: tuple[tuple[str, int], ...] = ()
    caption: str = ""


@dataclass(frozen=True)
class Question:
    question: str
    answer: str


@dataclass(frozen=True)
class Citation:
    title: str
    publisher: str = ""
    authors: str = ""
    year: int | None = None
    url: str = ""
    doi: str = ""
    pubmed_id: str = ""
    accessed_on: date | None = None


@dataclass(frozen=True)
class Content:
    """
    The parts of a post's content. The body marks each figure with a
    placeholder that render_figures() replaces once the images have ids.
    """

    body: str
    takeaways: tuple[str, ...]
    faq: tuple[Question, ...]
    references: tuple[str, ...]
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class ConvertedPost:
    """
    A post converted whole, here or in a worker process: everything the
    loader writes but the ids of the library images, which only the
    database gives (render_figures() puts them in).
    """

    title: str
    excerpt: str
    content: Content
    citations: tuple[Citation, ...]


def convert_post(
    post: WordPressPost,
    *,
    site_url: str,
    language: str = DEFAULT_SECTION_LANGUAGE,
    split_sections: bool = True,
) -> ConvertedPost:
    """
    Convert a post's title, excerpt and content, and parse its references.
    split_sections=False leaves the FAQ, key takeaways and references in
    the body, for content that has no parts of its own to keep them (a page).
    """
    content = convert(
        post.content,
        site_url=site_url,
        featured_media=post.featured_media,
        language=language,
        split_sections=split_sections,
    )
    return ConvertedPost(
        title=post_title(post),
        excerpt=excerpt_html(post.excerpt),
        content=content,
        citations=tuple(parse_citation(text) for text in content.references),
    )


def post_title(post: WordPressPost) -> str:
    return html_to_text(post.title) or f"WordPress post {post.wordpress_id}"


def convert(
    html: str,
    *,
    site_url: str,
    featured_media: int | None = None,
    language: str = DEFAULT_SECTION_LANGUAGE,
    split_sections: bool = True,
) -> Content:
    """
    Split rendered post HTML into body, takeaways, FAQ, references and figures
    (with split_sections=False, the body keeps its takeaways, FAQ and references).

    Links to site_url become site-relative. A first figure showing the
    featured image is left out of the body, since the page shows it as the
    hero. Sections are recognised by their names in the post's language
    and the others (section_names()), and a heading that only introduced a
    section moved out of the body goes with it, as does one above it that
    names the same section in another language.
    """
    names = section_names(language)
    soup = BeautifulSoup(html or "", "html.parser")
    # One walk over the tree instead of a search per kind of element: the
    # importer converts thousands of posts. The walk only renames and
    # collects; removing happens after it.
    elements: list[Tag] = []
    unwanted: list[PageElement] = []
    faq_blocks: list[tuple[Tag, str]] = []
    embeds: list[Tag] = []
    for node in soup.descendants:
        if isinstance(node, _DROPPED_STRINGS):
            unwanted.append(node)
        elif isinstance(node, Tag):
            classes = node.get("class") or ()
            if node.name in ("iframe", "video") or _EMBED_CLASSES.intersection(classes):
                embeds.append(node)
            if node.name in _REMOVED_ELEMENTS or _GENERATED_BLOCK_CLASSES.intersection(
                classes
            ):
                unwanted.append(node)
                continue
            node.name = _HEADING_LEVELS.get(node.name, node.name)
            if node.name == "div" and "wp-block-button" in classes:
                node.name = "p"  # A button block is a link on a line of its own.
            if node.name == "a" and node.get("href"):
                node["href"] = site_relative(str(node["href"]), site_url=site_url)
            elif (
                split_sections
                and node.name == "div"
                and (kind := _faq_block_kind(node))
            ):
                faq_blocks.append((node, kind))
            elements.append(node)
    _convert_embeds(embeds, soup=soup)
    # Innermost first, so that no node is destroyed twice; an embed replaced
    # above may have destroyed some already (vars(), not Tag.decomposed,
    # which on a live tag reads as a search of its subtree).
    for node in reversed(unwanted):
        if not vars(node).get("_decomposed"):
            node.decompose()

    images = _Images()
    positions = _Positions.of(soup)
    labels = _heading_labels(positions)
    # The headings right before a section that leaves the body: once it has
    # gone, one that introduces nothing more goes too.
    introducers: list[Tag] = []
    faq = [
        question
        for block, kind in faq_blocks
        for question in _extract_faq(
            block,
            kind=kind,
            images=images,
            site_url=site_url,
            names=names,
            introducers=introducers,
            labels=labels,
        )
    ]
    takeaways: list[str] = []
    references: list[str] = []
    headings = _alive(elements, HEADINGS) if split_sections else []
    for heading in headings:
        label = labels.get(id(heading), "")
        if label in names.takeaways or label in names.references:
            introducer = _introducing_heading(heading)
            if introducer is not None and _level(introducer) < _level(heading):
                introducers.append(introducer)
            if label in names.takeaways:
                takeaways += _extract_takeaways(heading)
            else:
                references += _extract_references(heading)
    _remove_emptied_headings(introducers)

    _extract_figures(
        soup,
        positions=positions,
        images=images,
        site_url=site_url,
        featured_media=featured_media,
    )
    _extract_loose_images(
        soup, images=images, site_url=site_url, featured_media=featured_media
    )
    for paragraph in _empty_paragraphs(soup):
        paragraph.decompose()

    body = "\n".join(
        node.output_ready() if isinstance(node, NavigableString) else str(node)
        for node in soup.contents
        if not (
            isinstance(node, NavigableString)
            and not isinstance(node, Comment)
            and not node.strip()
        )
    )
    return Content(
        body=body,
        takeaways=tuple(item for item in takeaways if item),
        faq=tuple(faq),
        references=tuple(item for item in references if item),
        figures=tuple(images.figures),
    )


def _convert_embeds(embeds: list[Tag], *, soup: BeautifulSoup) -> None:
    """
    Replace each embed block or bare player with markup the allowlist keeps:
    a YouTube or Vimeo video becomes <figure data-embed="youtube:ID"> with a
    link to the video (the page turns it into a click-to-load player that
    contacts the video site only when clicked); any other embed becomes a
    link to what it embedded. Iframes never reach the stored HTML.
    """
    if not embeds:
        return
    inside_another = _inside_other_embeds(embeds, soup=soup)
    for node in embeds:
        if node.parent is None or id(node) in inside_another:
            continue  # Inside an embed block handled as a whole.
        player = (
            node if node.name in ("iframe", "video") else node.find(["iframe", "video"])
        )
        url = ""
        if player is not None:
            url = str(player.get("src") or "")
            if not url and (source := player.find("source")) is not None:
                url = str(source.get("src") or "")
        if not url and (link := node.find("a", href=True)) is not None:
            url = str(link["href"])
        if not url and (match := _PLAIN_URL.search(node.get_text(" "))):
            url = match.group(0)  # WXR keeps the URL typed into the embed block.
        caption = node.find("figcaption") if node.name == "figure" else None
        caption_html = inline_html(caption.decode_contents()) if caption else ""
        title = str(player.get("title") or "") if player is not None else ""
        if node is player and video_from_url(url) is None:
            # A bare iframe of another site: nothing a reader would miss.
            node.decompose()
            continue
        replacement = _embed_markup(url, title=title, caption=caption_html, soup=soup)
        node.replace_with(replacement) if replacement else node.decompose()


def _inside_other_embeds(embeds: list[Tag], *, soup: BeautifulSoup) -> set[int]:
    """
    The embeds (by id()) that sit inside another embed, which is replaced as
    a whole; read through positions rather than each embed's ancestors.
    Whatever the outer one is (a figure, or a tag html.parser made of a
    mistyped one) its search covers the inner ones: searching each of a
    nest of unclosed embeds would read the nest once per embed around it.
    """
    positions = _Positions.of(soup)
    inside, covered_until = set(), -1
    for node in embeds:  # In document order, so an outer embed comes first.
        index = positions.order[id(node)]
        if index <= covered_until:
            inside.add(id(node))
        else:
            covered_until = positions.last_inside[id(node)]
    return inside


@dataclass(frozen=True)
class _Positions:
    """
    Where each node stands in document order, and where the last node inside
    it stands (its own place for a string or an empty tag), by id(): whether
    one node holds another is then two comparisons. Searching each element's
    subtree instead would, in a nest of unclosed elements (html.parser nests
    every unclosed tag in the one before), read the same nodes once for each
    element around them. Still right for the nodes that remain after others
    are removed.
    """

    nodes: list[PageElement]
    order: dict[int, int]
    last_inside: dict[int, int]

    @classmethod
    def of(cls, soup: BeautifulSoup) -> _Positions:
        nodes = list(soup.descendants)
        last_inside: dict[int, int] = {}
        for index in range(len(nodes) - 1, -1, -1):
            node = nodes[index]
            contents = node.contents if isinstance(node, Tag) else ()
            last_inside[id(node)] = last_inside[id(contents[-1])] if contents else index
        return cls(
            nodes, {id(node): index for index, node in enumerate(nodes)}, last_inside
        )

    def first_inside(self, element: Tag, positions: list[int]) -> int | None:
        """The index in positions (sorted) of the first one inside element, or None."""
        found = bisect.bisect_right(positions, self.order[id(element)])
        inside = (
            found < len(positions) and positions[found] <= self.last_inside[id(element)]
        )
        return found if inside else None


def _embed_markup(
    url: str, *, title: str, caption: str, soup: BeautifulSoup
) -> Tag | None:
    if not url.startswith(("http://", "https://")):
        return None
    video = video_from_url(url)
    if video is None:
        paragraph = soup.new_tag("p")
        link = soup.new_tag("a", href=url)
        link.string = title or url
        paragraph.append(link)
        return paragraph
    markup = embed_html(video, title=title, caption_html=caption)
    return BeautifulSoup(markup, "html.parser").figure


def render_figures(
    body: str, *, figures: Sequence[Figure], image_ids: Sequence[int]
) -> str:
    """
    Replace the placeholders of a converted body or FAQ answer with library
    images (data-file), image_ids[n] being figures[n]'s: a figure, with its
    caption, or an image in the text.
    """

    def figure(match: re.Match[str]) -> str:
        kind, index = match.group(1), int(match.group(2))
        image = figures[index]
        attributes = {
            "src": image.url,
            "alt": image.alt,
            "width": image.width,
            "height": image.height,
            "data-file": image_ids[index],
        }
        img = " ".join(
            f'{name}="{html_lib.escape(str(value))}"'
            for name, value in attributes.items()
            if value is not None
        )
        if kind == "image":
            return f"<img {img}>"
        caption = f"<figcaption>{image.caption}</figcaption>" if image.caption else ""
        return f"<figure><img {img}>{caption}</figure>"

    return _FIGURE_PLACEHOLDER.sub(figure, body)


def site_relative(url: str, *, site_url: str) -> str:
    """Return url as a site-relative path when it points at site_url's host."""
    if not site_url:
        return url
    target, site = urlsplit(url.strip()), urlsplit(site_url)
    if (
        not target.netloc
        or _host(target.netloc) != _host(site.netloc)
        or target.scheme not in ("", "http", "https")
    ):
        return url
    if target.path.startswith(_WORDPRESS_FILES):
        return url
    relative = target.path or "/"
    if target.query:
        relative += f"?{target.query}"
    if target.fragment:
        relative += f"#{target.fragment}"
    return relative


def html_to_text(html: str) -> str:
    """Return the text of an HTML fragment, entities decoded, scripts dropped."""
    return _HTML_WHITESPACE.sub(
        " ", html_lib.unescape(_text_cleaner.clean(html or ""))
    ).strip()


def inline_html(html: str) -> str:
    """Return a sanitized inline fragment without the paragraph WordPress wraps it in."""
    cleaned = sanitize_inline(html)
    if (
        cleaned.startswith("<p>")
        and cleaned.endswith("</p>")
        and cleaned.count("<p>") == 1
    ):
        cleaned = cleaned[3:-4].strip()
    return cleaned


def excerpt_html(html: str) -> str:
    """Return a rendered excerpt with WordPress's " […]" marker turned into an ellipsis."""
    return _EXCERPT_MORE.sub(
        lambda match: "…" + (match.group(1) or ""), (html or "").strip()
    )


def _empty_paragraphs(soup: BeautifulSoup) -> list[Tag]:
    """
    The paragraphs with neither text nor an image, innermost first. One walk
    from the last node back, each node telling its parent whether it holds
    anything: get_text() per paragraph would read a nested paragraph (an
    unclosed <p> nests the next) once for each paragraph around it.
    """
    filled: set[int] = set()
    empty = []
    for node in reversed(list(soup.descendants)):
        if isinstance(node, Tag):
            if node.name == "img" or id(node) in filled:
                filled.add(id(node.parent))
            elif node.name == "p":
                empty.append(node)
        elif not isinstance(node, _DROPPED_STRINGS) and node.strip():
            filled.add(id(node.parent))
    return empty


def _alive(elements: list[Tag], names: tuple[str, ...]) -> list[Tag]:
    """Return the elements with one of names that no earlier step removed."""
    # Not Tag.decomposed: on a Tag that reads as find("_decomposed"), a search
    # of the whole subtree. A decomposed tag has lost its parent.
    return [
        element
        for element in elements
        if element.name in names and element.parent is not None
    ]


# Figures


@dataclass
class _Images:
    """The images of a post, in the order of their placeholders."""

    figures: list[Figure] = field(default_factory=list)
    # Until the body shows a figure, the next may be the featured image (the hero).
    body_has_figure: bool = False

    def add(self, figure: Figure) -> int:
        self.figures.append(figure)
        return len(self.figures) - 1


def _extract_figures(
    soup: BeautifulSoup,
    *,
    positions: _Positions,
    images: _Images,
    site_url: str,
    featured_media: int | None,
) -> None:
    """
    Replace each <figure> with an image by a placeholder for its Figure.
    Which figure holds a figure (a gallery) or an image is read from
    positions (taken before the FAQ and sections were removed: no figure or
    image has been added since).
    """
    elements = soup.find_all("figure")
    if not elements:
        return
    figure_positions = [positions.order[id(element)] for element in elements]
    imgs = soup.find_all("img")
    img_positions = [positions.order[id(img)] for img in imgs]
    galleries = [
        element
        for element in elements
        if positions.first_inside(element, figure_positions) is not None
    ]
    gallery_ids = {id(gallery) for gallery in galleries}
    for element in elements:
        found = positions.first_inside(element, img_positions)
        if found is None or id(element) in gallery_ids:
            continue  # Not an image, or a gallery whose figures are handled one by one.
        img = imgs[found]
        _place_figure(
            element,
            _figure(img, site_url=site_url, figure=element),
            images=images,
            featured_media=featured_media,
        )
    # The body has no gallery layout: its images follow one another.
    for gallery in galleries:
        for caption in gallery.find_all("figcaption", recursive=False):
            caption.name = "p"
        gallery.unwrap()


def _place_figure(
    element: Tag, figure: Figure, *, images: _Images, featured_media: int | None
) -> None:
    if not figure.url:
        element.decompose()
        return
    is_hero = featured_media and figure.wordpress_id == featured_media
    if is_hero and not images.body_has_figure:
        # The page shows the featured image as the hero: the body need not,
        # but the library needs the image.
        images.add(figure)
        element.decompose()
        return
    images.body_has_figure = True
    element.replace_with(Comment(f"figure:{images.add(figure)}"))


def _extract_loose_images(
    soup: BeautifulSoup,
    *,
    images: _Images,
    site_url: str,
    featured_media: int | None,
) -> None:
    """
    Turn the images outside figures into library images as well: the
    classic editor puts an image in a paragraph of its own (a figure, then)
    or in a line of text (an image in the text), often in a link to its file.
    """
    alone_in: dict[int, bool] = {}  # Once per paragraph, not once per image in it.
    for img in soup.find_all("img"):
        if img.parent is None:
            continue
        unit = _image_unit(img)
        figure = _figure(img, site_url=site_url)
        container = unit.parent
        if container is not None and container.name == "p":
            if id(container) not in alone_in:
                alone_in[id(container)] = (
                    sum(
                        not _blank(child)
                        and not (isinstance(child, Tag) and child.name == "br")
                        for child in container.contents
                    )
                    == 1
                )
            alone = alone_in[id(container)]
        else:
            alone = False
        if alone:
            _place_figure(
                container, figure, images=images, featured_media=featured_media
            )
        elif not figure.url:
            unit.decompose()
        else:
            unit.replace_with(Comment(f"image:{images.add(figure)}"))


def _image_unit(img: Tag) -> Tag:
    """The image, or the link around it when the link only opens the image's own file."""
    link = img.parent
    if (
        link is not None
        and link.name == "a"
        and [child for child in link.contents if not _blank(child)] == [img]
        and _links_to_image_file(str(link.get("href", "")))
    ):
        return link
    return img


def _blank(node: PageElement) -> bool:
    return isinstance(node, NavigableString) and not node.strip()


def _links_to_image_file(href: str) -> bool:
    path = urlsplit(href).path.lower()
    return (
        path.startswith(_WORDPRESS_FILES)
        or path.endswith(IMAGE_EXTENSIONS)
        or ("attachment_id=" in href)
    )


def _figure(img: Tag, *, site_url: str, figure: Tag | None = None) -> Figure:
    """
    The Figure of an image: its largest srcset candidate is the original.
    Only http(s) URLs the library can store are kept; an image without one
    has no url (and is dropped). figure, when given, holds its caption.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    candidates = sorted(
        {
            (absolute, int(width))
            for url, width in _SRCSET_CANDIDATE.findall(str(img.get("srcset", "")))
            if (absolute := image_url(urljoin(base, url)))
        },
        key=lambda candidate: candidate[1],
    )
    width, height = _dimension(img.get("width")), _dimension(img.get("height"))
    if candidates:
        url, original_width = candidates[-1]
        if width and height:
            height = round(height * original_width / width)
        width = original_width
    else:
        src = str(img.get("src", "")).strip()
        url = image_url(urljoin(base, src)) if src else ""
    caption = figure.find("figcaption") if figure is not None else None
    return Figure(
        wordpress_id=_wordpress_image_id(img),
        url=url,
        alt=plain_text(str(img.get("alt", ""))),
        width=width,
        height=height if width else None,
        renditions=tuple(candidates),
        caption=inline_html(caption.decode_contents()) if caption else "",
    )


def image_side(value: object) -> int | None:
    """An image's width or height when it is one: whole pixels, not too many (PHP's true is no 1)."""
    return value if type(value) is int and 0 < value <= MAX_IMAGE_SIDE else None


def image_url(url: str) -> str:
    """url when an image may be fetched from it and stored: http(s), at most 1,000 characters."""
    return url if len(url) <= MAX_URL_LENGTH and safe_url(url) else ""


def _wordpress_image_id(img: Tag) -> int | None:
    return wordpress_image_id(img.get("class") or ())


def wordpress_image_id(classes: Iterable[str]) -> int | None:
    """The attachment id WordPress's class wp-image-ID names."""
    for css_class in classes:
        match = _WP_IMAGE_CLASS.match(css_class)
        if match:
            return int(match.group(1))
    return None


def _dimension(value: object) -> int | None:
    text = str(value).strip().removesuffix("px")
    if not _SIZE.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_IMAGE_SIDE else None


# Sections


# A section is known by its heading's first words ("Key takeaways",
# "References", "FAQ about ..."): a label is made of this many characters.
LABEL_LENGTH = 100


def _heading_labels(positions: _Positions) -> dict[int, str]:
    """
    The label of every heading (by id()): its text as get_text(" ",
    strip=True) gives it, lowercased, without a final colon, from its first
    LABEL_LENGTH characters, read through positions rather than each
    heading's subtree.
    """
    nodes, last_inside = positions.nodes, positions.last_inside
    strings = [
        (index, text)
        for index, node in enumerate(nodes)
        if isinstance(node, NavigableString)
        and not isinstance(node, _DROPPED_STRINGS)
        and (text := node.strip())
    ]
    string_indexes = [index for index, _ in strings]
    labels = {}
    for index, node in enumerate(nodes):
        if not (isinstance(node, Tag) and node.name in HEADINGS):
            continue
        pieces, length = [], 0
        position = bisect.bisect_right(string_indexes, index)
        while (
            position < len(strings)
            and strings[position][0] <= last_inside[id(node)]
            and length <= LABEL_LENGTH
        ):
            pieces.append(strings[position][1])
            length += len(strings[position][1]) + 1
            position += 1
        text = _WHITESPACE.sub(" ", " ".join(pieces))[:LABEL_LENGTH]
        labels[id(node)] = text.rstrip(":").strip().lower()
    return labels


def _extract_takeaways(heading: Tag) -> list[str]:
    return _extract_section(
        heading, item=lambda element: inline_html(element.decode_contents())
    )


def _extract_references(heading: Tag) -> list[str]:
    return _extract_section(heading, item=_reference_text)


def _extract_section(heading: Tag, *, item: Callable[[Tag], str]) -> list[str]:
    """
    Remove heading and the paragraphs or lists that follow it, and return
    one item per paragraph or list item. Anything else (another heading, a
    figure, a table) ends the section and stays in the body.
    """
    items: list[str] = []
    consumed: list[Tag] = [heading]
    for sibling in heading.find_next_siblings():
        if sibling.name == "p":
            items.append(item(sibling))
        elif sibling.name in ("ul", "ol"):
            items += [item(li) for li in sibling.find_all("li", recursive=False)]
        else:
            break
        consumed.append(sibling)
    wrapper = heading.parent
    for element in consumed:
        element.decompose()
    # A group block that held only the section goes with it.
    while (
        isinstance(wrapper, Tag)
        and wrapper.name in ("div", "section")
        and all(_is_blank(child) for child in wrapper.contents)
    ):
        wrapper, emptied = wrapper.parent, wrapper
        emptied.decompose()
    return items


def _reference_text(element: Tag) -> str:
    """Return the text of a reference, keeping link targets that its text does not show."""
    for line_break in element.find_all("br"):
        line_break.replace_with(" ")
    # Without a separator: "<a>Title</a>." is "Title.", not "Title ." (one segment too many).
    text = _WHITESPACE.sub(" ", element.get_text()).strip()
    for link in element.find_all("a", href=True):
        href = str(link["href"]).strip()
        if href.startswith(("http://", "https://")) and href not in text:
            text = f"{text} {href}"
    return text.strip()


def _faq_block_kind(element: Tag) -> str:
    classes = element.get("class") or ()
    if (
        element.get("id") == "rank-math-faq"
        or "wp-block-rank-math-faq-block" in classes
    ):
        return "rank-math"
    if "schema-faq" in classes or "wp-block-yoast-faq-block" in classes:
        return "yoast"
    return ""


def _extract_faq(
    block: Tag,
    *,
    kind: str,
    images: _Images,
    site_url: str,
    names: SectionNames,
    introducers: list[Tag],
    labels: dict[int, str],
) -> list[Question]:
    """
    Collect the questions of a Rank Math or Yoast FAQ block and remove it,
    with the wrappers it alone fills and a heading right before it that
    names the FAQ; another heading right before it is noted in introducers.
    """
    if block.parent is None:
        return []  # Nested in a block of the other plugin that is already done.
    question_class, answer_class = _FAQ_CLASSES[kind]
    pairs: list[list[Tag | None]] = []
    found = block.find_all(class_=(question_class, answer_class))
    for element in found:
        if question_class in element["class"]:
            pairs.append([element, None])
        elif pairs and pairs[-1][1] is None:
            pairs[-1][1] = element
    # Innermost first, each question and answer is taken out of the block,
    # so that an unclosed one around it does not hold (and repeat) it.
    for element in reversed(found):
        element.extract()
    questions = [
        item
        for question, answer in pairs
        if (item := _question(question, answer, images=images, site_url=site_url))
    ]
    outermost = _outermost_wrapper(block)
    heading = _introducing_heading(outermost)
    outermost.decompose()
    if heading is not None:
        if labels.get(id(heading), "").startswith(names.faq):
            above, level = _introducing_heading(heading), _level(heading)
            heading.decompose()
            # "Veelgestelde vragen" over "Frequently asked questions", or a
            # heading the FAQ was all of, goes too once it introduces nothing.
            if above is not None and (
                _level(above) < level or labels.get(id(above), "").startswith(names.faq)
            ):
                introducers.append(above)
        else:
            introducers.append(heading)
    return questions


def _level(heading: Tag) -> int:
    return int(heading.name[1])


def _is_blank(node: PageElement) -> bool:
    """Nothing a reader sees: white space, or a paragraph without text or image."""
    if isinstance(node, NavigableString):
        return not node.strip()
    return (
        isinstance(node, Tag)
        and node.name == "p"
        and not node.get_text(strip=True)
        and node.find("img") is None
    )


def _outermost_wrapper(element: Tag) -> Tag:
    """element, or the outermost group around it that holds nothing else."""
    while (
        element.parent is not None
        and element.parent.name in ("div", "section")
        and all(
            child is element or _is_blank(child) for child in element.parent.contents
        )
    ):
        element = element.parent
    return element


def _introducing_heading(element: Tag) -> Tag | None:
    """The heading right before element (blank lines between), if there is one."""
    for sibling in element.previous_siblings:
        if _is_blank(sibling):
            continue
        return (
            sibling if isinstance(sibling, Tag) and sibling.name in HEADINGS else None
        )
    return None


def _introduces_nothing(heading: Tag) -> bool:
    """A heading followed by nothing, or by a heading of its level or above, before any content."""
    for sibling in heading.next_siblings:
        if _is_blank(sibling):
            continue
        return (
            isinstance(sibling, Tag)
            and sibling.name in HEADINGS
            and _level(sibling) <= _level(heading)
        )
    return True


def _remove_emptied_headings(introducers: list[Tag]) -> None:
    """Remove the headings whose section moved out of the body, and the headings only they were under."""
    pending = list(introducers)
    while pending:
        heading = pending.pop()
        if heading.parent is None or not _introduces_nothing(heading):
            continue
        above = _introducing_heading(heading)
        if above is not None and _level(above) < _level(heading):
            pending.append(above)
        heading.decompose()


def _question(
    question: Tag | None, answer: Tag | None, *, images: _Images, site_url: str
) -> Question | None:
    text = html_to_text(question.decode_contents()) if question else ""
    if not text:
        return None
    if answer is None:
        return Question(question=text, answer="")
    for img in answer.find_all("img"):
        figure = _figure(img, site_url=site_url)
        if not figure.url:
            img.decompose()
            continue
        # A marker the allowlist keeps, made a placeholder once sanitized.
        marker = BeautifulSoup("", "html.parser").new_tag("img")
        marker["data-file"] = str(images.add(figure))
        img.replace_with(marker)
    # Yoast's answer is itself the paragraph.
    answer_html = str(answer) if answer.name == "p" else answer.decode_contents()
    return Question(
        question=text,
        answer=_IMAGE_MARKER.sub(r"<!--image:\1-->", sanitize_rich_text(answer_html)),
    )


def _host(netloc: str) -> str:
    return netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0].removeprefix("www.")


# Citations

_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_DOI_LABEL = re.compile(r"\bdoi:?\s*(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PUBMED_URL = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d+)", re.IGNORECASE
)
# "PMID: 123", "PubMed PMID: 123", "PubMed ID 123", "[PubMed: 123]": the page prints it once, as "PMID: 123".
_PMID = re.compile(
    r"\b(?:PubMed\s+)?(?:PMID|PubMed(?:\s+ID)?)\s*[:#]?\s*(\d{1,10})\b", re.IGNORECASE
)
# A link labelled "PubMed" is the PubMed page the PMID already links to.
_PUBMED_LABEL = re.compile(r"\[?\bPubMed\b\]?(?=\s*$|\s*[.,;])", re.IGNORECASE)
_MEDIUM = re.compile(r"\[(?:internet|online)\]", re.IGNORECASE)
# Words that only introduce the link the page prints, or a date read into accessed_on.
_LINK_LABEL = re.compile(
    r"\b(?:retrieved|available|accessible|read)\s+(?:online\s+)?(?:at|from|on)\b:?|\bavailable\s+online\b:?|\bonline\s*:",
    re.IGNORECASE,
)
_ACCESSED = re.compile(
    r"\b(?:accessed|retrieved|viewed|cited)(?:\s+on)?:?\s+"
    r"(\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{4}\s+[A-Za-z]{3,9}\.?\s+\d{1,2})",
    re.IGNORECASE,
)
_ACCESSED_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%Y-%m-%d",
    "%Y %B %d",
    "%Y %b %d",
)
_EMPTY_BRACKETS = re.compile(r"\(\s*[.,;:]?\s*\)|\[\s*[.,;:]?\s*\]")
# What taking a part out of "Title. PMID: 123. More" leaves: "Title. . More".
_REPEATED_PUNCTUATION = re.compile(r"([.,;:])(?:\s+[.,;:])+")
_YEAR_IN_PARENTHESES = re.compile(r"\((1[5-9]\d\d|2[01]\d\d)[a-z]?(?:,[^)]*)?\)")
_LEADING_YEAR = re.compile(r"^(1[5-9]\d\d|2[01]\d\d)\b[\s;:,.]*")
_TRAILING_YEAR = re.compile(r",\s*(1[5-9]\d\d|2[01]\d\d)$")
# A full stop after at least two letters, so that initials ("J. Smith") do not
# split; a journal abbreviation before the year ("Spine J. 2019") does.
_SEGMENT_BREAK = re.compile(
    r"(?<=[^\s.]{2})\.\s+(?=[A-Z0-9\"“‘'(\[À-Ý])|(?<=\s[A-Z])\.\s+(?=(?:1[5-9]|2[01])\d\d\b)"
)
_VANCOUVER_NAME = r"[A-ZÀ-Ý][\w'’\-]+(?:\s[A-Za-zÀ-ÿ'’\-]+)*\s[A-Z]{1,3}"
_APA_NAME = r"[A-ZÀ-Ý][\w'’\-]+,\s(?:[A-Z]\.\s?)+"
_AUTHORS = re.compile(
    rf"^(?:{_VANCOUVER_NAME}(?:,\s*{_VANCOUVER_NAME})*(?:,?\s*et al\.?)?"
    rf"|.+\bet al\.?"
    rf"|{_APA_NAME}(?:,?\s*(?:&\s*|and\s+)?{_APA_NAME})*)$"
)
_TRIM = " \t.,;:"


def parse_citation(text: str) -> Citation:
    """
    Read a free-text reference into its parts. Recognises "Publisher. Title.",
    "Authors. Title. Journal. Year." and "Authors (Year). Title. Journal."
    with a URL, DOI or PubMed id anywhere, and an access date.

    Never raises, and loses nothing a reader would miss: the parts printed
    again from the fields (the URL, "doi:", "PMID:", "Accessed" with its
    date) and the words that only introduce the link ("Retrieved from")
    are taken out, and everything else stays in the text of the title and
    the publisher, whatever the shape: volume and pages, further sentences,
    other links, the text around a link.
    """
    original = _WHITESPACE.sub(" ", text or "").strip()
    urls = [_trim_url(url) for url in _URL.findall(original)]
    doi = ""
    if label := _DOI_LABEL.search(original):
        doi = _trim_url(label.group(1))
    else:
        for candidate in urls:
            if "doi.org/" in candidate.lower() and (match := _DOI.search(candidate)):
                doi = match.group(1)
                break
    pubmed_id = ""
    for match in (*map(_PUBMED_URL.search, urls), _PMID.search(original)):
        if match:
            pubmed_id = match.group(1)
            break
    url = urls[0] if urls else (f"https://doi.org/{doi}" if doi else "")
    # Other links of the paragraph stay as text, unless the DOI or PMID prints them.
    other_urls = [
        candidate
        for candidate in urls[1:]
        if candidate != url
        and not (doi and candidate.lower().endswith(doi.lower()))
        and not (pubmed_id and _is_pubmed_page(candidate, pubmed_id))
    ]

    rest = original
    for pattern in (_URL, _DOI_LABEL, _PMID, _MEDIUM, _LINK_LABEL):
        rest = pattern.sub(" ", rest)
    accessed_on = None
    if accessed := _ACCESSED.search(rest):
        accessed_on = _date(accessed.group(1))
        if accessed_on is not None:
            rest = rest[: accessed.start()] + " " + rest[accessed.end() :]
    if pubmed_id:
        rest = _PUBMED_LABEL.sub(" ", rest)
    rest = _EMPTY_BRACKETS.sub(" ", rest)
    rest = _REPEATED_PUNCTUATION.sub(r"\1", _WHITESPACE.sub(" ", rest)).strip(_TRIM)

    year: int | None = None
    authors = ""
    if year_match := _YEAR_IN_PARENTHESES.search(rest):
        year = int(year_match.group(1))
        before, after = (
            rest[: year_match.start()].strip(_TRIM),
            rest[year_match.end() :].strip(_TRIM),
        )
        if before and after:
            # "Authors (2019). Title. Journal": APA puts the authors before the year.
            authors, rest = before, after
        else:
            rest = before or after

    segments = [segment.strip(_TRIM) for segment in _SEGMENT_BREAK.split(rest)]
    segments = [segment for segment in segments if segment]
    title = publisher = ""
    if authors:
        title, *others = segments or [""]
    elif len(segments) >= 2 and _AUTHORS.match(segments[0]):
        authors, title, *others = segments
    elif len(segments) >= 2:
        publisher, title, *others = segments
    else:
        title, others = (segments[0] if segments else ""), []

    if trailing := _TRAILING_YEAR.search(publisher):
        year = year or int(trailing.group(1))
        publisher = publisher[: trailing.start()].strip(_TRIM)
    details = []
    for segment in others:
        # "2019;19(3):123-30": the year is a field, the volume and pages stay.
        if year is None and (leading := _LEADING_YEAR.match(segment)):
            year = int(leading.group(1))
            segment = segment[leading.end() :].strip(_TRIM)
        if segment:
            details.append(segment)
    if year is None and (leading := _LEADING_YEAR.match(title)):
        year = int(
            leading.group(1)
        )  # "WHO. 2019. Fact sheet.": the year stays in the text too.
    publisher = ". ".join(part for part in (publisher, *details, *other_urls) if part)
    return Citation(
        title=title or original,
        publisher=publisher,
        authors=authors,
        year=year,
        url=url,
        doi=doi,
        pubmed_id=pubmed_id,
        accessed_on=accessed_on,
    )


def _is_pubmed_page(url: str, pubmed_id: str) -> bool:
    match = _PUBMED_URL.search(url)
    return match is not None and match.group(1) == pubmed_id


def _date(text: str) -> date | None:
    cleaned = _WHITESPACE.sub(" ", text.replace(",", " ").replace(".", " ")).strip()
    for pattern in _ACCESSED_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None


def _trim_url(url: str) -> str:
    """Drop the punctuation that ends the sentence around a URL, keeping balanced parentheses."""
    url = url.rstrip(".,;:]")
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(".,;:]")
    return url
