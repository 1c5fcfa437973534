"""«Situation à 6 mois» under statistical secrecy (R14 + R12) and the hand-over sheet with consent (R17)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from avenirpro.secret_statistique import MASQUE, SEUIL
from devenir import statistiques
from devenir.models import Consentement, PointDevenir
from parcours.models import Action
from tests.avenirpro.factories import EtablissementFactory
from tests.devenir.outils import sorti
from tests.eleves.factories import ReperageFactory

pytestmark = pytest.mark.django_db


def _reponses(cast, lycee, situation, n, *, typologie=None, jalon=6):
    for k in range(n):
        i = sorti(cast, nom=f"{lycee.nom}-{situation}-{k}".upper(), lycee=lycee)
        if typologie:
            ReperageFactory(jeune=i.jeune, campagne=cast.campagne, typologie=typologie)
        PointDevenir.objects.create(
            inscription=i,
            jalon_mois=jalon,
            date_prevue=datetime.date(2027, 4, 20),
            situation=situation,
            source="jeune",
            repondu_le=timezone.now(),
        )


def test_la_situation_a_6_mois_masque_les_petits_effectifs_partout(cast, client_de):
    lycee_c = EtablissementFactory(nom="Lycée C", academie=cast.lycee_a.academie, departement=cast.lycee_a.departement)
    _reponses(cast, cast.lycee_a, "emploi", 6, typologie="diplome_sans_solution")
    _reponses(cast, cast.lycee_a, "formation", 2, typologie="echec_repreparer")
    _reponses(cast, cast.lycee_b, "emploi", 7)
    _reponses(cast, cast.lycee_b, "sans_solution", 1)
    _reponses(cast, lycee_c, "apprentissage", 5)
    _reponses(cast, cast.lycee_a, "autre", 3, jalon=3)  # the 3-month point is not counted here
    t = statistiques.tableau(cast.campagne)
    assert t.valeurs[(("lycee", cast.lycee_a.pk), "tous|emploi")] == 6
    assert t.valeurs[(("lycee", cast.lycee_a.pk), "tous|repondus")] == 8
    # Primary: every visible cell is 0-free and at least the threshold; secondary: no relation (lycée ↔ levels
    # above, situation ↔ répondants, ensemble ↔ MEF ↔ typologie) has exactly one masked cell, which would give it back.
    for cellule, valeur in t.valeurs.items():
        assert cellule in t.masques or valeur >= SEUIL
    for total, parties in t.relations:
        masquees = sum(1 for c in [total, *parties] if c in t.masques)
        assert masquees != 1, (total, parties)
    client = client_de(cast.pilotage)
    for ventilation in ("ensemble", "mef", "typologie"):
        r = client.get(reverse("devenir:statistiques"), {"par": "lycee", "ventilation": ventilation})
        assert r.status_code == 200
        lignes = r.context["lignes"]
        assert lignes, ventilation
        for ligne in lignes:
            for v in ligne["cellules"]:
                assert v == MASQUE or v >= SEUIL, (ventilation, ligne)
    r = client.get(reverse("devenir:statistiques"), {"par": "lycee"})
    colonnes = [*statistiques.Situation.values, "repondus"]
    a = next(ligne for ligne in r.context["lignes"] if ligne["libelle"] == "Lycée A")
    total = next(ligne for ligne in r.context["lignes"] if ligne["libelle"] == "Total")
    assert a["cellules"][colonnes.index("formation")] == MASQUE  # 2 answers
    assert total["cellules"][colonnes.index("repondus")] == 21  # the 3-month answers are not counted
    # What is shown is what the table holds: a visible cell is the true count.
    for ligne in r.context["lignes"]:
        for col, v in zip(colonnes, ligne["cellules"], strict=True):
            if v != MASQUE and ligne["libelle"] == "Lycée A":
                assert v == t.valeurs[(("lycee", cast.lycee_a.pk), f"tous|{col}")]
    assert "secret" in r.content.decode()
    # A chef sees the same cells for their lycée; a référent is refused.
    assert client_de(cast.chef_a).get(reverse("devenir:statistiques")).status_code == 200
    assert client_de(cast.referent_a).get(reverse("devenir:statistiques")).status_code == 403


def test_la_fiche_de_liaison_exige_l_accord_du_jeune(cast, client_de):
    i = sorti(cast, nom="LIAISON", courriel="liaison@exemple.fr", accord=True, liaison=False)
    Action.objects.create(
        inscription=i,
        type="tre",
        intitule="Atelier CV",
        date_debut=datetime.date(2026, 9, 21),
        date_fin=datetime.date(2026, 10, 16),
    )
    client = client_de(cast.referent_a)
    url = reverse("devenir:fiche_liaison", kwargs={"uuid": i.uuid})
    refus = client.get(url)
    assert refus.status_code == 302 and refus["Content-Type"] != "application/pdf"
    suite = client.get(refus["Location"])
    assert "pas donné son accord à sa transmission" in suite.content.decode()
    Consentement.objects.filter(inscription=i).update(accord_liaison=True)
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf["Cache-Control"] == "no-store"
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for attendu in (
        "Fiche de liaison",
        "LIAISON Camille",
        "liaison@exemple.fr",
        "Atelier CV",
        "Emploi",
        cast.referent_a.email,
        cast.conseiller_a.email,
    ):
        assert attendu in texte, attendu
