"""
One archive for the whole site: the database content as a Django fixture and
every media file, read and written through the storage API (so S3 works too).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
import zlib
from datetime import UTC, datetime
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from articles import audit

FORMAT_VERSION = 1
# Rebuilt by migrate itself, and tied to this database's numbering.
EXCLUDED_FROM_DUMP = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    pass


def media_files(storage=default_storage, directory=""):
    """Yield the name of every file in the storage, depth first."""
    directories, files = storage.listdir(directory)
    for name in sorted(files):
        yield str(PurePosixPath(directory, name)) if directory else name
    for name in sorted(directories):
        yield from media_files(
            storage, str(PurePosixPath(directory, name)) if directory else name
        )


def _add(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(fileobj) -> dict:
    """Write a gzipped tar of the database and the media to fileobj; return its manifest."""
    data = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=EXCLUDED_FROM_DUMP,
        indent=1,
        stdout=data,
    )
    database = data.getvalue().encode()
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "database_sha256": hashlib.sha256(database).hexdigest(),
        "media": {},
    }
    with tarfile.open(fileobj=fileobj, mode="w:gz") as archive:
        _add(archive, "database.json", database)
        for name in media_files():
            with default_storage.open(name, "rb") as media:
                content = media.read()
            manifest["media"][name] = hashlib.sha256(content).hexdigest()
            _add(archive, f"media/{name}", content)
        _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    return manifest


def _safe_media_name(member_name):
    name = PurePosixPath(member_name).relative_to("media")
    if name.is_absolute() or ".." in name.parts:
        raise BackupError(f"Refusing a file outside the media folder: {member_name}")
    return str(name)


def read_backup(fileobj) -> tuple[dict, bytes, dict[str, bytes]]:
    """Read and verify an archive in full: its manifest, database dump and media files."""
    try:
        with tarfile.open(fileobj=fileobj, mode="r:gz") as archive:
            members = {
                member.name: member
                for member in archive.getmembers()
                if member.isfile()
            }
            if "manifest.json" not in members or "database.json" not in members:
                raise BackupError(
                    "Not a backup archive: manifest.json or database.json is missing."
                )
            manifest = json.loads(archive.extractfile(members["manifest.json"]).read())
            database = archive.extractfile(members["database.json"]).read()
            contents = {
                name: archive.extractfile(member).read()
                for name, member in members.items()
                if name.startswith("media/")
            }
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        raise BackupError(f"Not a backup archive: {error}.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    if hashlib.sha256(database).hexdigest() != manifest["database_sha256"]:
        raise BackupError(
            "The database dump does not match its checksum: the archive is damaged."
        )
    media = {}
    for name, expected in manifest["media"].items():
        content = contents.get(f"media/{name}")
        if content is None:
            raise BackupError(f"The media file {name} is missing from the archive.")
        if hashlib.sha256(content).hexdigest() != expected:
            raise BackupError(f"The media file {name} does not match its checksum.")
        media[_safe_media_name(f"media/{name}")] = content
    return manifest, database, media


def restore_backup(fileobj) -> dict:
    """
    Replace the database content and the media with the archive's. The
    archive is checked in full before anything is changed.
    """
    manifest, database, media = read_backup(fileobj)
    with transaction.atomic(), audit.paused():
        call_command("flush", interactive=False, verbosity=0)
        _load_fixture(database)
    for name in list(media_files()):
        default_storage.delete(name)
    for name, content in media.items():
        default_storage.save(name, ContentFile(content))
    return manifest


def _load_fixture(database):
    # loaddata reads fixtures from files, not streams.
    with tempfile.NamedTemporaryFile(suffix=".json") as fixture:
        fixture.write(database)
        fixture.flush()
        call_command("loaddata", fixture.name, verbosity=0)
