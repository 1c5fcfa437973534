"""Each alert of the chef's dashboard links to the parcours list filtered on exactly what it counts: the list shows
as many rows as the alert says, and the right ones (the links used to carry `?alerte=` that the list ignored)."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from parcours import services as services_parcours
from parcours.models import PFMP, Inscription
from tableaux.selections import alertes
from tableaux.statistiques import chiffres
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _inscrire(cast, nom, statut="en_cours", **kwargs):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom=nom)
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
    return services_parcours.inscrire(
        jeune=jeune,
        campagne=cast.campagne,
        date_entree=D(2026, 9, 14),
        conseiller=cast.conseiller_a,
        statut=statut,
        **kwargs,
    )


def test_chaque_alerte_du_chef_liste_ce_qu_elle_compte(cast, client_de):
    jour = timezone.localdate()
    calme = _inscrire(cast, "CALME", referent=cast.referent_a)
    fin = _inscrire(cast, "FINPROCHE", referent=cast.referent_a)
    Inscription.objects.filter(pk=fin.pk).update(date_fin_prevue=jour + datetime.timedelta(days=5))
    _inscrire(cast, "SANSREFERENT", statut="en_preparation", referent=None)
    plafond = _inscrire(cast, "PLAFOND", referent=cast.referent_a)
    PFMP.objects.create(
        inscription=plafond,
        entreprise="A",
        date_debut=D(2026, 10, 5),
        date_fin=D(2026, 10, 9),
        depassement_signale=True,
    )
    sans_convention = _inscrire(cast, "SANSCONVENTION", referent=cast.referent_a)
    PFMP.objects.create(
        inscription=sans_convention,
        entreprise="B",
        date_debut=jour - datetime.timedelta(days=1),
        date_fin=jour + datetime.timedelta(days=3),
    )
    attendus = {
        "fin_proche": {"FINPROCHE"},
        "sans_referent": {"SANSREFERENT"},
        "pfmp": {"PLAFOND"},
        "pfmp_sans_convention": {"SANSCONVENTION"},
    }
    assert calme.pk

    c = chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]
    client = client_de(cast.chef_a)
    vues = set()
    for alerte in alertes(c):
        cle = parse_qs(urlsplit(alerte["lien"] or "").query).get("alerte", [None])[0]
        if cle is None:
            continue
        vues.add(cle)
        page = client.get(alerte["lien"]).content.decode()
        compte = int(re.search(r"(\d+) inscription\(s\)", page).group(1))
        assert compte == alerte["valeur"] == len(attendus[cle]), cle
        for nom in {"CALME", "FINPROCHE", "SANSREFERENT", "PLAFOND", "SANSCONVENTION"}:
            assert (nom in page) == (nom in attendus[cle]), (cle, nom)
    assert vues == set(attendus)
