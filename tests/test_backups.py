import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.backups import media_files
from articles.models import Article, FAQItem, Image
from tests.factories import make_article, make_user

# A restore flushes the database, which PostgreSQL cannot do inside the test
# transaction. The flush after the test re-creates the roles (post_migrate).
pytestmark = pytest.mark.django_db(transaction=True)


def site_state():
    """Everything a restore must bring back: the data and every media file's bytes."""
    data = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=["contenttypes", "auth.permission", "sessions", "admin.logentry"],
        stdout=data,
    )
    media = {}
    for name in media_files():
        with default_storage.open(name, "rb") as handle:
            media[name] = handle.read()
    return data.getvalue(), media


def build_site():
    make_user("Editor", username="eva")
    image = Image(alt_text="A photo")
    image.file.save(
        "photo.jpg", ContentFile(b"\xff\xd8 not really a jpeg but bytes"), save=False
    )
    image.width, image.height = 10, 10
    image.save()
    article = make_article(featured_image=image, tags=["back-pain"])
    FAQItem.objects.create(article=article, question="Why?", answer="<p>Because.</p>")


def test_backup_and_restore_round_trip_gives_an_identical_site(tmp_path):
    build_site()
    before = site_state()
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    Article.objects.all().delete()
    Image.objects.all().delete()
    for name in media_files():
        default_storage.delete(name)
    make_article(title="Written after the backup")
    call_command("restore", str(archive), yes=True, stdout=io.StringIO())

    after = site_state()
    assert after[1] == before[1]
    before_rows, after_rows = json.loads(before[0]), json.loads(after[0])
    assert [row for row in after_rows if row not in before_rows] == []
    assert [row for row in before_rows if row not in after_rows] == []
    assert after == before


def test_a_damaged_archive_changes_nothing(tmp_path):
    build_site()
    before = site_state()
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.startswith("media/"):
                content = b"tampered"
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))

    with pytest.raises(
        CommandError, match="does not match its checksum. Nothing was changed"
    ):
        call_command("restore", str(damaged), yes=True)
    with pytest.raises(CommandError, match="Not a backup archive"):
        (tmp_path / "junk.tar.gz").write_bytes(b"junk")
        call_command("restore", str(tmp_path / "junk.tar.gz"), yes=True)

    assert site_state() == before
