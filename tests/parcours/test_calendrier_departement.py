"""Issue #14 case 10: calendars by département. Good Friday and 26 December are public holidays in Moselle (57),
Bas-Rhin (67) and Haut-Rhin (68); working days (R4 cap) follow the lycée's département; school holidays that the
data does not cover give a visible warning; a PFMP or an unexcused absence on a holiday gets a warning."""

import datetime

import pytest
from django.urls import reverse

from parcours import regles
from tests.avenirpro.factories import AffectationFactory, EtablissementFactory
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_vendredi_saint_et_26_decembre_en_alsace_moselle(departement):
    assert regles.jour_ferie(D(2027, 3, 26), departement) == "Vendredi saint"
    assert regles.jour_ferie(D(2026, 12, 26), departement) == "Saint-Étienne"
    assert regles.jour_ferie(D(2027, 3, 26), "69") == "" and regles.jour_ferie(D(2026, 12, 26), "75") == ""
    # working days: 22–26/03/2027 is 4 days in Alsace-Moselle, 5 elsewhere; 22–26/12/2025 is 3 days against 4
    assert regles.compter_jours([(D(2027, 3, 22), D(2027, 3, 26))], "jours_ouvres", departement=departement) == 4
    assert regles.compter_jours([(D(2027, 3, 22), D(2027, 3, 26))], "jours_ouvres", departement="69") == 5
    assert regles.compter_jours([(D(2025, 12, 22), D(2025, 12, 26))], "jours_ouvres", departement=departement) == 3
    assert regles.compter_jours([(D(2025, 12, 22), D(2025, 12, 26))], "jours_ouvres", departement="69") == 4


def test_outre_mer_a_ses_propres_feries():
    assert regles.jour_ferie(D(2027, 5, 22), "972") == "Abolition de l'esclavage"  # Martinique
    assert regles.jour_ferie(D(2027, 5, 22), "69") == ""


def _inscription(cast, departement, entree=D(2026, 12, 1)):
    lycee = EtablissementFactory(departement=departement)
    AffectationFactory(utilisateur=cast.chef_a, role="chef", etablissement=lycee)
    jeune = JeuneFactory(etablissement=lycee)
    ReperageFactory(jeune=jeune, campagne=cast.campagne)
    return InscriptionFactory(jeune=jeune, campagne=cast.campagne, date_entree=entree)


def test_le_plafond_pfmp_compte_les_jours_ouvres_du_departement(cast, client_de):
    """Service and screen: the same PFMP counts one day less in Moselle (Good Friday), shown on the gauge."""
    moselle, rhone = _inscription(cast, "57"), _inscription(cast, "69")
    periodes = [(D(2027, 3, 22), D(2027, 3, 26))]
    assert regles.jours_pfmp(moselle, periodes=periodes) == 4
    assert regles.jours_pfmp(rhone, periodes=periodes) == 5
    assert regles.plafond_pfmp(moselle) < regles.plafond_pfmp(rhone)
    client = client_de(cast.chef_a)
    donnees = {"type": "pfmp", "entreprise": "Boulangerie", "date_debut": "22/03/2027", "date_fin": "26/03/2027",
               "heures_hebdo": "35"}  # fmt: skip
    pages = {}
    for inscription, jours in ((moselle, 4), (rhone, 5)):
        url = reverse("parcours:pfmp", kwargs={"uuid": inscription.uuid})
        pages[jours] = client.post(url, donnees, follow=True).content.decode()
        assert f"PFMP : {jours} j / {regles.plafond_pfmp(inscription)} j autorisés" in pages[jours]
    # the holiday is also warned about after the save, in Moselle only
    assert "26/03/2027 : Vendredi saint" in pages[4]
    assert "Vendredi saint" not in pages[5]


def test_une_pfmp_pendant_les_vacances_est_signalee_apres_enregistrement(cast, client_de):
    inscription = _inscription(cast, "69", entree=D(2026, 9, 14))
    client = client_de(cast.chef_a)
    r = client.post(
        reverse("parcours:pfmp", kwargs={"uuid": inscription.uuid}),
        {"type": "pfmp", "entreprise": "Boulangerie", "date_debut": "19/10/2026", "date_fin": "23/10/2026",
         "heures_hebdo": "35"},
        follow=True,
    )  # fmt: skip
    page = r.content.decode()
    assert "Période en entreprise ajoutée." in page
    assert (
        "couvre des jours fériés ou des vacances scolaires" in page and "19/10/2026 : Vacances de la Toussaint" in page
    )


def test_une_absence_non_justifiee_un_jour_ferie_est_signalee(cast, client_de):
    inscription = _inscription(cast, "57", entree=D(2026, 9, 14))
    client = client_de(cast.chef_a)
    url = reverse("parcours:presences", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-11-09"
    absences = {"statut_20261111_matin": "absent_non_justifie", "statut_20261112_matin": "absent_non_justifie"}
    r = client.post(url, absences, follow=True)
    page = r.content.decode()
    assert "absence non justifiée un jour férié ou de vacances scolaires : 11/11/2026 : Armistice" in page
    assert "12/11/2026" not in page.split("absence non justifiée un jour férié")[1].split("</")[0]
    assert (
        regles.avertissements_absences(
            inscription.etablissement, [{"date": D(2026, 11, 12), "statut": "absent_non_justifie"}]
        )
        == []
    )


@pytest.mark.parametrize("departement", ["2A", "2B", "971", "974"])
def test_vacances_scolaires_inconnues_en_corse_et_outre_mer_signalees(cast, client_de, departement):
    inscription = _inscription(cast, departement, entree=D(2026, 9, 14))
    assert "Vacances scolaires inconnues" in regles.calendrier_scolaire_inconnu(
        inscription.etablissement, D(2026, 10, 1), D(2026, 10, 31)
    )
    page = client_de(cast.chef_a).get(
        reverse("parcours:emploi_du_temps", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-10-19"
    )
    assert "Vacances scolaires inconnues pour ce lycée" in page.content.decode()


def test_vacances_scolaires_inconnues_au_dela_des_donnees():
    lycee = EtablissementFactory(departement="69", zone_vacances="A")
    assert regles.calendrier_scolaire_inconnu(lycee, D(2026, 10, 1), D(2026, 12, 31)) == ""
    alerte = regles.calendrier_scolaire_inconnu(lycee, D(2035, 9, 1), D(2035, 12, 31))
    assert alerte.startswith("Vacances scolaires inconnues après le")
    assert any("inconnues" in a for a in regles.avertissements_periode(lycee, D(2035, 9, 3), D(2035, 9, 7), "la PFMP"))


def test_chaque_worker_web_charge_les_calendriers_a_son_demarrage():
    """The first request of a web worker that reads a calendar used to import `holidays` and build its tables (over
    a second on the bench machine, once per worker and again after each restart: the référent's screen at 1.2 s).
    gunicorn's `post_worker_init` loads them; afterwards, reading a holiday of this year or the next builds nothing."""
    import ast
    from pathlib import Path

    conf = ast.parse((Path(__file__).resolve().parents[2] / "gunicorn.conf.py").read_text())
    crochet = next(n for n in conf.body if isinstance(n, ast.FunctionDef) and n.name == "post_worker_init")
    assert "prechauffer_calendriers" in ast.unparse(crochet)

    regles._feries_annee.cache_clear()
    regles._vacances_annee.cache_clear()
    regles.prechauffer_calendriers(D(2026, 11, 24))
    feries, vacances = regles._feries_annee.cache_info(), regles._vacances_annee.cache_info()
    for jour in (D(2026, 12, 25), D(2027, 5, 1)):
        for departement in ("75", "57", "67", "971", "976"):
            regles.jour_ferie(jour, departement)
        for zone in "ABC":
            regles.vacances_scolaires(jour, zone)
    assert regles._feries_annee.cache_info().misses == feries.misses
    assert regles._vacances_annee.cache_info().misses == vacances.misses
    assert regles.jour_ferie(D(2026, 12, 25), "75") == "Noël"
