import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
application = get_wsgi_application()

# Load the URLconf (and with it every view) now, then keep everything loaded so far out
# of the cyclic garbage collector: it lives as long as the process, and scanning it in
# full collections pauses a request for 100+ ms.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
