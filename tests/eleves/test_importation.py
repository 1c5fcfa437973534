import datetime

import pytest

from eleves.importation import ImportRefuse, analyser, appliquer, modele_csv, neutraliser
from eleves.models import Jeune, Reperage, UniteValidee
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.eleves.fichiers import csv_octets, ine, ligne, xlsx_octets

pytestmark = pytest.mark.django_db


@pytest.fixture
def lycee():
    return EtablissementFactory()


@pytest.fixture
def campagne():
    return CampagneFactory()


def test_import_complet_puis_reimport_identique_ne_change_rien(lycee, campagne):
    contenu = csv_octets([ligne(i) for i in range(1, 6)])
    a = analyser(contenu, etablissement=lycee, campagne=campagne)
    assert (a.total, a.nouveaux, a.modifies, a.inchanges, a.en_erreur) == (5, 5, 0, 0, 0)
    assert Jeune.objects.count() == 0  # the preview writes nothing
    appliquer(contenu, etablissement=lycee, campagne=campagne)
    assert Jeune.objects.count() == 5 and Reperage.objects.count() == 5
    historique = Jeune.history.count()
    a = appliquer(contenu, etablissement=lycee, campagne=campagne)
    assert (a.nouveaux, a.modifies, a.inchanges) == (0, 0, 5)
    assert Jeune.history.count() == historique
    j = Jeune.objects.get(ine=ine(1))
    assert j.nom == "NOM1" and j.prenoms == "Éloïse" and j.date_naissance == datetime.date(2007, 3, 14)
    assert j.recherche == "nom1 eloise"
    r = j.reperages.get()
    assert r.diplome == "cap" and r.resultat == "ajourne" and r.typologie == "echec_accompagnement"


def test_fichier_corrige_met_a_jour_par_ine(lycee, campagne):
    appliquer(csv_octets([ligne(1), ligne(2)]), etablissement=lycee, campagne=campagne)
    a = appliquer(
        csv_octets([ligne(1, TELEPHONE="07 00 00 00 00"), ligne(2), ligne(3)]), etablissement=lycee, campagne=campagne
    )
    assert (a.nouveaux, a.modifies, a.inchanges) == (1, 1, 1)
    assert Jeune.objects.get(ine=ine(1)).telephone == "07 00 00 00 00"


def test_windows_1252_point_virgule_et_utf8_bom_virgule_et_xlsx(lycee, campagne):
    lignes = [ligne(1, NOM="LEFÈVRE", PRENOMS="Zoé")]
    for contenu, encodage in (
        (csv_octets(lignes, encodage="cp1252"), "Windows-1252"),
        (csv_octets(lignes, sep=",", bom=True), "UTF-8"),
        (xlsx_octets(lignes), "XLSX"),
    ):
        a = analyser(contenu, etablissement=lycee, campagne=campagne)
        assert a.valide, a.erreurs
        assert a.encodage == encodage
        assert a.lignes[0].jeune["nom"] == "LEFÈVRE" and a.lignes[0].jeune["prenoms"] == "Zoé"


def test_entetes_alias_sans_accents_ni_casse_et_colonnes_en_plus_ignorees(lycee, campagne):
    d = ligne(1)
    d = {
        "Identifiant national": d["INE"], "Nom de famille": d["NOM"], "Prénom": d["PRENOMS"],
        "Date de naissance": d["DATE NAISSANCE"], "Diplôme préparé": "bac pro", "Résultat": "Admis",
        "Régime": "Externe",
    }  # fmt: skip
    a = analyser(csv_octets([d]), etablissement=lycee, campagne=campagne)
    assert a.valide, a.erreurs
    assert a.colonnes_ignorees == ["Régime"]
    assert a.lignes[0].reperage["diplome"] == "bac_pro"


def test_erreurs_ligne_colonne_message_et_rien_ecrit(lycee, campagne):
    contenu = csv_octets(
        [
            ligne(1),
            ligne(2, INE="abc"),
            ligne(3, **{"DATE NAISSANCE": "31/02/2007"}),
            ligne(1),
            ligne(4, DIPLOME="BTS"),
        ]
    )
    a = analyser(contenu, etablissement=lycee, campagne=campagne)
    messages = {(e.ligne, e.colonne): e.message for e in a.erreurs}
    assert "INE invalide" in messages[(3, "INE")]
    assert "Date invalide" in messages[(4, "DATE NAISSANCE")]
    assert "en double" in messages[(5, "INE")] and "ligne 2" in messages[(5, "INE")]
    assert "Valeur inconnue" in messages[(6, "DIPLOME")]
    assert a.en_erreur == 4
    with pytest.raises(ImportRefuse):
        appliquer(contenu, etablissement=lycee, campagne=campagne)
    assert Jeune.objects.count() == 0
    a = appliquer(contenu, etablissement=lycee, campagne=campagne, valides_seulement=True)
    assert list(Jeune.objects.values_list("ine", flat=True)) == [ine(1)]


def test_colonne_obligatoire_absente(lycee, campagne):
    d = ligne(1)
    del d["RESULTAT"]
    a = analyser(csv_octets([d]), etablissement=lycee, campagne=campagne)
    assert a.erreur_fichier
    assert "Colonne obligatoire absente : « RESULTAT »" in a.erreurs[0].message


def test_jeune_d_un_autre_lycee_refuse(lycee, campagne):
    JeuneFactory(ine=ine(1))
    a = analyser(csv_octets([ligne(1)]), etablissement=lycee, campagne=campagne)
    assert a.erreurs and "autre lycée" in a.erreurs[0].message


def test_r10_meme_jeune_nouvelle_campagne_et_typologie_forcee_conservee(lycee, campagne):
    ancienne = CampagneFactory(session=2025)
    jeune = JeuneFactory(ine=ine(1), etablissement=lycee, nom="NOM1", prenoms="Éloïse")
    ReperageFactory(jeune=jeune, campagne=ancienne)
    r = ReperageFactory(
        jeune=jeune, campagne=campagne, resultat="ajourne", typologie="echec_repreparer", typologie_forcee=True,
        typologie_modifiee_motif="Entretien", diplome="cap", division="TCAP1", specialite="Cuisine",
        parcoursup="aucune", situation_rentree="sans_solution",
    )  # fmt: skip
    appliquer(csv_octets([ligne(1)]), etablissement=lycee, campagne=campagne)
    assert Jeune.objects.count() == 1 and jeune.reperages.count() == 2
    r.refresh_from_db()
    assert r.typologie == "echec_repreparer"


def test_unites_validees_avec_date(lycee, campagne):
    d = ligne(1, **{"UNITES VALIDEES": "UP1|UG2", "DATE VALIDATION UNITES": "05/07/2026"})
    appliquer(csv_octets([d]), etablissement=lycee, campagne=campagne)
    appliquer(csv_octets([d]), etablissement=lycee, campagne=campagne)
    assert sorted(UniteValidee.objects.values_list("intitule", flat=True)) == ["UG2", "UP1"]
    assert UniteValidee.objects.first().conservee_jusqu_au == datetime.date(2031, 7, 5)
    sans_date = ligne(2, **{"UNITES VALIDEES": "UP1", "DATE VALIDATION UNITES": ""})
    a = analyser(csv_octets([sans_date]), etablissement=lycee, campagne=campagne)
    assert a.erreurs[0].colonne == "DATE VALIDATION UNITES"


def test_session_differente_de_la_campagne(lycee, campagne):
    a = analyser(csv_octets([ligne(1, SESSION=str(campagne.session - 1))]), etablissement=lycee, campagne=campagne)
    assert a.erreurs and "session" in a.erreurs[0].message


def test_modele_est_importable_et_neutralisation(lycee, campagne):
    a = analyser(modele_csv(), etablissement=lycee, campagne=campagne)
    assert a.valide, a.erreurs
    assert neutraliser("=HYPERLINK(1)") == "'=HYPERLINK(1)" and neutraliser("-2") == "'-2" and neutraliser("a") == "a"
