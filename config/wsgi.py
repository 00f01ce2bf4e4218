import os

from django.core.wsgi import get_wsgi_application

from config.startup import check_static_manifest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
check_static_manifest()

# Imported once Django is set up (get_wsgi_application), as it reads models.
from articles.page_cache import KeptPagesFirst  # noqa: E402

application = KeptPagesFirst(application)
