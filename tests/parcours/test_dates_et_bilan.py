"""Dates that make sense on the parcours (enrolment after the entry interview), its history dated by what happened,
and the bilan PDF after an early exit (actions and PFMP cut at the exit, true statuses, signatures kept with their
block)."""

import datetime
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from entretiens.models import Entretien
from parcours import services
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.entretiens.factories import EntretienFactory
from tests.parcours.factories import ActionFactory, PFMPFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def jeune(cast):
    j = JeuneFactory(etablissement=cast.lycee_a, nom="DURAND", prenoms="Inès")
    ReperageFactory(jeune=j, campagne=cast.campagne, diplome="cap")
    return j


def test_l_inscription_ne_precede_pas_l_entretien_d_entree(cast, jeune):
    EntretienFactory(
        jeune=jeune,
        campagne=cast.campagne,
        type=Entretien.Type.ENTREE,
        date=datetime.datetime(2026, 9, 21, 10, tzinfo=PARIS),
        statut=Entretien.Statut.REALISE,
    )
    with pytest.raises(ValidationError) as e:
        services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14))
    assert e.value.message_dict["date_entree"] == [
        "La date d'entrée ne peut précéder l'entretien individuel d'entrée du 21/09/2026."
    ]
    assert services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 21)).pk


def test_un_entretien_d_entree_seulement_planifie_ne_bloque_pas_l_inscription(cast, jeune):
    EntretienFactory(
        jeune=jeune,
        campagne=cast.campagne,
        type=Entretien.Type.ENTREE,
        date=datetime.datetime(2026, 9, 21, 10, tzinfo=PARIS),
        statut=Entretien.Statut.PLANIFIE,
    )
    assert services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14)).pk


@time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=PARIS), tick=False)
def test_l_historique_date_l_inscription_par_l_entree_et_non_par_la_saisie(cast, jeune):
    i = services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14))
    evt = next(e for e in services.journal(i) if e["genre"] == "Inscription")
    assert evt["quand"].date() == D(2026, 9, 14)  # typed on 18/11, entered on 14/09


def _bilan_apres_sortie_anticipee(cast, jeune, observations="RAS"):
    from parcours.models import Bilan

    i = services.inscrire(
        jeune=jeune,
        campagne=cast.campagne,
        date_entree=D(2026, 9, 14),
        referent=cast.referent_a,
        conseiller=cast.conseiller_a,
        statut="en_cours",
    )
    ActionFactory(
        inscription=i,
        intitule="Atelier terminé",
        date_debut=D(2026, 9, 14),
        date_fin=D(2026, 9, 25),
        statut="realisee",
    )
    ActionFactory(
        inscription=i, intitule="Atelier coupé", date_debut=D(2026, 9, 21), date_fin=D(2026, 10, 30), statut="en_cours"
    )
    ActionFactory(
        inscription=i,
        intitule="Atelier jamais commencé",
        date_debut=D(2026, 10, 19),
        date_fin=D(2026, 11, 13),
        statut="prevue",
    )
    PFMPFactory(inscription=i, entreprise="Garage coupé", date_debut=D(2026, 9, 28), date_fin=D(2026, 10, 9))
    PFMPFactory(inscription=i, entreprise="Boulangerie future", date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 13))
    Bilan.objects.create(inscription=i, observations=observations)
    i.refresh_from_db()
    return services.cloturer(
        inscription=i, version=i.version, date_sortie=D(2026, 10, 2), motif_sortie="abandon", situation_sortie="emploi"
    )


def _texte_pdf(client, inscription, tmp_path) -> list[str]:
    r = client.get(reverse("parcours:bilan_pdf", kwargs={"uuid": inscription.uuid}))
    assert r["Content-Type"] == "application/pdf"
    chemin = tmp_path / "bilan.pdf"
    chemin.write_bytes(r.content)
    texte = subprocess.run(["pdftotext", str(chemin), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in texte.split("\f") if page.strip()]


@time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=PARIS), tick=False)
def test_le_bilan_pdf_apres_une_sortie_anticipee_coupe_actions_et_pfmp_a_la_sortie(cast, jeune, client_de, tmp_path):
    i = _bilan_apres_sortie_anticipee(cast, jeune)
    texte = " ".join(_texte_pdf(client_de(cast.referent_a), i, tmp_path))
    assert "Atelier jamais commencé" not in texte and "Prévue" not in texte
    assert "1 action prévue après la sortie, non réalisée." in texte
    assert "21/09/2026 – 02/10/2026 Interrompue par la sortie du 02/10/2026" in texte
    assert "Atelier terminé" in texte and "Réalisée" in texte
    assert "Boulangerie future" not in texte
    assert "1 période en entreprise prévue après la sortie, non effectuée." in texte
    assert "28/09/2026 – 02/10/2026 (interrompue par la sortie)" in texte
    assert "Sortie le 02/10/2026" in texte


@time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=PARIS), tick=False)
@pytest.mark.parametrize("lignes", [20, 32])
def test_les_signatures_restent_avec_leur_bloc(cast, jeune, client_de, tmp_path, lignes):
    observations = "\n".join(f"Observation n°{n} sur le parcours." for n in range(lignes))
    i = _bilan_apres_sortie_anticipee(cast, jeune, observations=observations)
    pages = _texte_pdf(client_de(cast.referent_a), i, tmp_path)
    page_signatures = next(p for p in pages if "Le référent de parcours" in p)
    assert "Situation à la sortie" in page_signatures and "Observations" in page_signatures
