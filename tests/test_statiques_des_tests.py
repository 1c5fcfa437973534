"""The tests' live server lets the browser keep static files (tests/conftest.py, `_statiques_en_cache_du_navigateur`):
a lifetime, and a `Date` on the wall clock rather than the tests' clock, without which every file looked stale."""

import email.utils
import urllib.request

import pytest
from django.templatetags.static import static

from tests.fiabilite.scorecard import maintenant_reel
from tests.horloge import INSTANT_NORMAL

pytestmark = pytest.mark.django_db


def test_un_fichier_statique_du_serveur_de_test_se_garde_et_porte_la_date_reelle(live_server):
    with urllib.request.urlopen(f"{live_server.url}{static('css/avenirpro.css')}") as reponse:
        assert reponse.status == 200
        assert reponse.headers["Cache-Control"] == "max-age=3600"
        date = email.utils.parsedate_to_datetime(reponse.headers["Date"])
    assert abs((date - maintenant_reel()).total_seconds()) < 60
    # The tests' clock is elsewhere: the header is not read from it (this test would prove nothing otherwise).
    assert abs((maintenant_reel() - INSTANT_NORMAL).total_seconds()) > 3600
