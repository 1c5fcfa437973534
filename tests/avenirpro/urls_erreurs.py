"""The project's URLs plus one view that fails, to see the 500 page as a visitor would (tests only)."""

from django.urls import path

from avenirpro.urls import handler403, handler404, handler500  # noqa: F401
from avenirpro.urls import urlpatterns as urls_du_projet


def panne(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne-simulee/", panne, name="panne_simulee"), *urls_du_projet]
