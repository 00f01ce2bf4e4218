"""Hostile export files fail alone, with a reason, and the good ones still import."""

import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from articles.importers.wordpress.sources import MAX_JSON_DEPTH, read_file
from articles.models import Article

SEED = Path(django_settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"


def wxr(content):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<item><title>Big</title><wp:post_id>5</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status><wp:post_name>big</wp:post_name>
<content:encoded><![CDATA[{content}]]></content:encoded></item>
</channel></rss>"""


def test_deeply_nested_json_fails_alone_and_the_other_files_import(
    db, tmp_path, capsys
):
    (tmp_path / "1-deep.json").write_text("[" * 200_000)
    (tmp_path / "2-deep-but-closed.json").write_text("[" * 500 + "]" * 500)
    (tmp_path / "3-good.json").write_text(SEED.read_text())

    with pytest.raises(CommandError, match="2 of 3 items failed"):
        call_command("import_wordpress", str(tmp_path))

    output = capsys.readouterr().out
    reason = (
        f"not a WordPress export: JSON nested more than {MAX_JSON_DEPTH} levels deep"
    )
    assert f"{tmp_path / '1-deep.json'}: {reason}" in output
    assert f"{tmp_path / '2-deep-but-closed.json'}: {reason}" in output
    assert Article.objects.filter(wordpress_id=9580).exists()


def test_real_exports_are_well_within_the_nesting_limit(tmp_path):
    (item,) = read_file(SEED)

    assert item.post is not None


def test_post_body_over_the_limit_is_refused_with_its_size(db, tmp_path, settings):
    settings.IMPORT_POST_MAX_BYTES = 1024 * 1024
    post = json.loads(SEED.read_text())
    post["content"]["rendered"] = "<p>" + "x" * (3 * 1024 * 1024) + "</p>"
    (tmp_path / "big.json").write_text(json.dumps(post))

    (item,) = read_file(tmp_path / "big.json")

    assert item.post is None
    assert item.error == (
        "the post's content is 3.0 MB, more than the 1.0 MB IMPORT_POST_MAX_BYTES "
        "allows; split it into several posts"
    )


def test_wxr_post_body_over_the_limit_is_refused(tmp_path, settings):
    settings.IMPORT_POST_MAX_BYTES = 1000
    path = tmp_path / "export.xml"
    path.write_text(wxr("<p>" + "y" * 2000 + "</p>"))

    (item,) = [item for item in read_file(path) if item.site is None]

    assert item.post is None
    assert "IMPORT_POST_MAX_BYTES" in item.error


def test_file_over_the_limit_is_refused_before_it_is_read(tmp_path, settings):
    settings.IMPORT_FILE_MAX_BYTES = 1024
    for name in ("posts.json", "export.xml"):
        (tmp_path / name).write_bytes(b" " * 2048)

        (item,) = read_file(tmp_path / name)

        assert item.error == (
            "too large: 2.0 KB, more than the 1.0 KB IMPORT_FILE_MAX_BYTES allows; "
            "export the site in parts (by date or category) and import each"
        )


def test_default_limits_are_documented_settings():
    assert django_settings.IMPORT_POST_MAX_BYTES == 2 * 1024 * 1024
    assert django_settings.IMPORT_FILE_MAX_BYTES == 256 * 1024 * 1024
