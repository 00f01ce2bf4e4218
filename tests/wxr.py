"""
WXR export files made on the fly, in the shape export_wp()
(wp-admin/includes/export.php) writes them: the channel with the site's
title and description, categories and nav_menu terms, then an <item> per
post, page, attachment and nav_menu_item with its post meta.
"""

from xml.sax.saxutils import escape

SITE = "https://goldcitymedicalcenter.nl"


def export(
    *items: str,
    title: str = "Gold City Medical Center",
    description: str = "Evidence-based care",
    categories: tuple[tuple[int, str, str], ...] = ((3, "health", "Health"),),
    menus: tuple[tuple[int, str, str], ...] = (),
    more_terms: str = "",
) -> str:
    """
    A WXR file: categories are (id, slug, name), menus (term id, slug,
    name); more_terms are other <wp:term>s of the channel (translation_term()).
    """
    terms = "".join(
        f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:category_nicename><![CDATA[{slug}]]></wp:category_nicename>"
        "<wp:category_parent><![CDATA[]]></wp:category_parent>"
        f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n"
        for term_id, slug, name in categories
    ) + "".join(
        f"<wp:term><wp:term_id>{term_id}</wp:term_id>"
        "<wp:term_taxonomy>nav_menu</wp:term_taxonomy>"
        f"<wp:term_slug><![CDATA[{slug}]]></wp:term_slug>"
        f"<wp:term_name><![CDATA[{name}]]></wp:term_name></wp:term>\n"
        for term_id, slug, name in menus
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>{escape(title)}</title>
  <link>{SITE}</link>
  <description>{escape(description)}</description>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{SITE}</wp:base_site_url>
  {terms}{more_terms}
  {"".join(items)}
</channel>
</rss>"""


def translation_term(term_id: int, *, slug: str, description: str) -> str:
    """
    A term of Polylang's post_translations taxonomy as export_wp() writes
    the channel's terms (wxr_term_description() puts the description in CDATA).
    """
    return (
        f"<wp:term><wp:term_id>{term_id}</wp:term_id>"
        "<wp:term_taxonomy>post_translations</wp:term_taxonomy>"
        f"<wp:term_slug><![CDATA[{slug}]]></wp:term_slug>"
        "<wp:term_parent><![CDATA[]]></wp:term_parent>"
        f"<wp:term_name><![CDATA[{slug}]]></wp:term_name>"
        f"<wp:term_description><![CDATA[{description}]]></wp:term_description>"
        "</wp:term>\n"
    )


def _meta(meta: dict) -> str:
    return "".join(
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in meta.items()
    )


def item(
    post_id: int,
    *,
    post_type: str,
    title: str = "",
    slug: str = "",
    link: str = "",
    content: str = "",
    status: str = "publish",
    parent: int = 0,
    menu_order: int = 0,
    terms: tuple[tuple[str, str, str], ...] = (),
    meta: dict | None = None,
    password: str = "",
) -> str:
    """One <item>; terms are (domain, nicename, name)."""
    categories = "".join(
        f'<category domain="{domain}" nicename="{nicename}"><![CDATA[{name}]]></category>'
        for domain, nicename, name in terms
    )
    return f"""<item>
  <title>{escape(title)}</title>
  <link>{link}</link>
  <dc:creator><![CDATA[jane]]></dc:creator>
  <guid isPermaLink="false">{SITE}/?p={post_id}</guid>
  <content:encoded><![CDATA[{content}]]></content:encoded>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>{post_id}</wp:post_id>
  <wp:post_date><![CDATA[2025-03-01 10:00:00]]></wp:post_date>
  <wp:post_date_gmt><![CDATA[2025-03-01 09:00:00]]></wp:post_date_gmt>
  <wp:post_modified_gmt><![CDATA[2025-03-02 09:00:00]]></wp:post_modified_gmt>
  <wp:comment_status><![CDATA[closed]]></wp:comment_status>
  <wp:ping_status><![CDATA[closed]]></wp:ping_status>
  <wp:post_name><![CDATA[{slug}]]></wp:post_name>
  <wp:status><![CDATA[{status}]]></wp:status>
  <wp:post_parent>{parent}</wp:post_parent>
  <wp:menu_order>{menu_order}</wp:menu_order>
  <wp:post_type><![CDATA[{post_type}]]></wp:post_type>
  <wp:post_password><![CDATA[{password}]]></wp:post_password>
  <wp:is_sticky>0</wp:is_sticky>
  {categories}{_meta(meta or {})}
</item>
"""


def page(post_id: int, *, slug: str, path: str | None = None, **fields) -> str:
    """A page whose permalink is /<path>/ (by default its slug), as WordPress's pretty permalinks give it."""
    return item(
        post_id,
        post_type="page",
        slug=slug,
        title=fields.pop("title", slug.replace("-", " ").capitalize()),
        link=f"{SITE}/{path if path is not None else slug}/",
        content=fields.pop("content", f"<p>The {slug} page.</p>"),
        **fields,
    )


def post(post_id: int, *, slug: str, category: str = "health", **fields) -> str:
    """A post in a category, at the /en/<category>/<slug>/ permalink the site keeps."""
    return item(
        post_id,
        post_type="post",
        slug=slug,
        title=fields.pop("title", slug.replace("-", " ").capitalize()),
        link=fields.pop("link", f"{SITE}/en/{category}/{slug}/"),
        content=fields.pop("content", f"<p>About {slug}.</p>"),
        terms=(("category", category, category.capitalize()), *fields.pop("terms", ())),
        **fields,
    )


def menu_item(
    post_id: int,
    *,
    menu: str,
    kind: str,
    object: str,
    object_id: int = 0,
    url: str = "",
    parent: int = 0,
    position: int = 0,
    title: str = "",
    status: str = "publish",
) -> str:
    """
    A nav_menu_item with the meta wp_update_nav_menu_item() writes
    (wp-includes/nav-menu.php); a custom link's object id is its own id.
    """
    return item(
        post_id,
        post_type="nav_menu_item",
        title=title,
        slug=str(post_id),
        link=f"{SITE}/?p={post_id}",
        status=status,
        menu_order=position,
        terms=(("nav_menu", menu, menu.replace("-", " ").title()),),
        meta={
            "_menu_item_type": kind,
            "_menu_item_menu_item_parent": parent,
            "_menu_item_object_id": object_id or post_id,
            "_menu_item_object": object,
            "_menu_item_target": "",
            "_menu_item_classes": 'a:1:{i:0;s:0:"";}',
            "_menu_item_xfn": "",
            "_menu_item_url": url,
        },
    )
