import os

from django.core.asgi import get_asgi_application

from config.startup import check_static_manifest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_asgi_application()
check_static_manifest()
