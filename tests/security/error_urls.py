"""The project's URLs plus one that fails, to see the 500 page a real fault would give."""

from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

SECRET_DETAIL = "database password is hunter2 for Jane Doe"


def boom(request):
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [*project_urlpatterns, path("boom/", boom)]
__all__ = ["handler404", "handler500", "urlpatterns"]
