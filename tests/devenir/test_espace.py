"""The young person's own page by a personal link (issue 19, R16)."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from devenir.models import LienJeune
from devenir.services import fin_espace
from tests.devenir.outils import deux_jeunes_du_meme_groupe

pytestmark = pytest.mark.django_db


def _creer_lien(client, inscription) -> str:
    r = client.post(reverse("devenir:espace_lien", kwargs={"uuid": inscription.uuid}))
    assert r.status_code == 200
    (jeton,) = re.findall(r"/devenir/mon-parcours/([^/\"]+)/", r.content.decode())
    return jeton


def test_un_lien_ne_montre_que_son_jeune(cast, client_de, django_assert_max_num_queries):
    a, b = deux_jeunes_du_meme_groupe(cast)
    referent = client_de(cast.referent_a)
    jeton_a = _creer_lien(referent, a)
    jeton_b = _creer_lien(referent, b)
    # The token is stored only as a fingerprint.
    assert not LienJeune.objects.filter(empreinte__in=[jeton_a, jeton_b]).exists()
    anonyme = Client(REMOTE_ADDR="198.51.100.20")
    # 11 of them are the rate limiter (database cache); the page itself reads 7 rows sets, whatever the data.
    with django_assert_max_num_queries(20):
        page = anonyme.get(reverse("devenir:espace", kwargs={"jeton": jeton_a}), {"semaine": "2026-11-23"})
    texte = page.content.decode()
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    for attendu in (
        "Bonjour Lou",
        "Atelier CV collectif",
        "09:00–12:00",
        "Garage des Lilas",
        "Mme Tutrice-Lilas",
        "Bureau 12",
        cast.referent_a.email,
        cast.conseiller_a.email,
        reverse("parcours:ics", kwargs={"jeton": a.jeton_ics}),
        "Convention de PFMP – Garage des Lilas",
    ):
        assert attendu in texte, attendu
    for interdit in ("MARTIN", "Boulangerie Martin-Secret", "M. Tuteur-Secret", "Bureau 34", str(b.jeton_ics)):
        assert interdit not in texte, interdit
    texte_b = anonyme.get(reverse("devenir:espace", kwargs={"jeton": jeton_b})).content.decode()
    assert "Boulangerie Martin-Secret" in texte_b and "Garage des Lilas" not in texte_b and "Bureau 12" not in texte_b


def test_revoque_remplace_faux_ou_expire_repond_404_sans_rien_dire(cast, client_de):
    a, _ = deux_jeunes_du_meme_groupe(cast)
    referent = client_de(cast.referent_a)
    anonyme = Client(REMOTE_ADDR="198.51.100.21")
    premier = _creer_lien(referent, a)
    second = _creer_lien(referent, a)  # a new link replaces the first
    url = lambda j: reverse("devenir:espace", kwargs={"jeton": j})  # noqa: E731
    remplace = anonyme.get(url(premier))
    assert remplace.status_code == 404
    assert anonyme.get(url(second)).status_code == 200
    faux = anonyme.get(url(second[:-3] + "abc"))
    assert faux.status_code == 404
    r = referent.post(reverse("devenir:espace_lien", kwargs={"uuid": a.uuid}), {"revoquer": "1"})
    assert r.status_code == 302
    revoque = anonyme.get(url(second))
    assert revoque.status_code == 404
    troisieme = _creer_lien(referent, a)
    with time_machine.travel(fin_espace(a) + datetime.timedelta(minutes=1)):
        expire = anonyme.get(url(troisieme))
    assert expire.status_code == 404
    assert remplace.content == faux.content == revoque.content == expire.content
    assert anonyme.get(url(troisieme)).status_code == 200


def test_le_lien_expire_avec_le_parcours_et_la_fenetre_du_devenir(cast):
    a, _ = deux_jeunes_du_meme_groupe(cast)
    # No exit: the limit of the parcours + 6 months + 30 days; after an exit, from the exit date.
    from parcours.regles import ajouter_mois

    assert fin_espace(a).date() == ajouter_mois(a.date_limite, 6) + datetime.timedelta(days=30)
    a.date_sortie = datetime.date(2026, 12, 1)
    assert fin_espace(a).date() == datetime.date(2027, 7, 1)
