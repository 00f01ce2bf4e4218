"""
The media storage on the local disk: Django's FileSystemStorage, except that
a file it could not write whole is removed instead of left half-written.

Django's FileSystemStorage creates the file and then writes it: when the
disk fills up in between (ENOSPC, or EDQUOT for a quota), the part written
stays behind under a name no row knows. renditions.py deletes what it
wrote when a save fails, but only files whose save succeeded have a name
it was told. (S3 writes an object whole or not at all.)
"""

import contextlib
import os

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage


class FileSystemStorage(DjangoFileSystemStorage):
    def _save(self, name, content):
        # Storage.save() passes a name that is free; if it already exists
        # now, the file is someone else's and is never removed here.
        existed = os.path.lexists(self.path(name))
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except OSError:
            if not existed:
                with contextlib.suppress(OSError):
                    os.remove(self.path(name))
            raise
