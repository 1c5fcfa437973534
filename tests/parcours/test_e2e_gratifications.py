"""The gratification export of a period, in a browser: the chef picks «du» and «au» under the parcours list and
downloads the CSV, read back with the csv module (`;`, UTF-8 with BOM, as stated). Screenshot and axe-core."""

import csv
import io

import pytest
from django.urls import reverse

from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter
from tests.parcours.test_exports_donnees import D, _inscription, _pfmp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_le_chef_exporte_les_gratifications_d_une_periode(page_csp_libre, live_server, cast):  # noqa: F811
    alpha = _inscription(cast, "ALPHA", "100000001AA")
    _pfmp(alpha, [D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 16)])
    page = page_csp_libre
    _connecter(page, live_server, cast.chef_a)
    page.goto(f"{live_server.url}{reverse('parcours:liste')}")
    page.get_by_label("Du", exact=True).fill("2026-11-01")
    page.get_by_label("Au", exact=True).fill("2026-11-08")
    assert capturer(page, "gratifications-periode") == []
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Exporter la période (CSV)").click()
    fichier = telechargement.value
    assert fichier.suggested_filename == "gratifications-pfmp-du-20261101-au-20261108.csv"
    contenu = open(fichier.path(), "rb").read()
    assert contenu.startswith(b"\xef\xbb\xbf")
    lignes = list(csv.DictReader(io.StringIO(contenu.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [(ligne["INE"], ligne["JOURS_PFMP"], ligne["MONTANT"]) for ligne in lignes] == [
        ("100000001AA", "2", "30,00")
    ]
    assert lignes[0]["PERIODE_DU"] == "01/11/2026" and lignes[0]["PERIODE_AU"] == "08/11/2026"
