"""Column mapping of the cohort import (ADR 0022): files whose headers are not among the aliases, in the encodings
and separators the lycées' systems write, read through a mapping chosen once and saved per lycée."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from eleves.importation import ImportRefuse, analyser, appliquer, echantillons, propositions, signature_entetes
from eleves.models import CorrespondanceColonnes, ImportEleves, Jeune, Reperage
from eleves.services import enregistrer_correspondance
from tests.eleves.fichiers import csv_octets, ligne, xlsx_octets

pytestmark = pytest.mark.django_db

# Headers written for these tests: none of the required ones is a known alias.
RENOMMAGE = {
    "INE": "N° INE élève",
    "NOM": "Nom usuel",
    "PRENOMS": "Prénom usuel",
    "DATE NAISSANCE": "Date de naiss.",
    "SEXE": "Sexe",
    "DIPLOME": "Diplôme visé",
    "RESULTAT": "Décision finale",
    "SITUATION RENTREE": "Situation rentrée",
}
CORRESPONDANCE = {
    "ine": "N° INE élève",
    "nom": "Nom usuel",
    "prenoms": "Prénom usuel",
    "date_naissance": "Date de naiss.",
    "diplome": "Diplôme visé",
    "resultat": "Décision finale",
}


def lignes_renommees(*numeros, **changes):
    return [{RENOMMAGE[k]: v for k, v in ligne(n, **changes).items() if k in RENOMMAGE} for n in numeros]


def fichier(format_, lignes):
    if format_ == "cp1252;":
        return csv_octets(lignes, sep=";", encodage="cp1252")
    if format_ == "utf8bom,":
        return csv_octets(lignes, sep=",", encodage="utf-8", bom=True)
    return xlsx_octets(lignes)


FORMATS = ["cp1252;", "utf8bom,", "xlsx"]


@pytest.mark.parametrize("format_", FORMATS)
def test_entetes_inconnus_etape_de_correspondance_puis_import(cast, format_):
    contenu = fichier(format_, lignes_renommees(1, 2, 3))
    a = analyser(contenu, etablissement=cast.lycee_a, campagne=cast.campagne)
    assert a.erreur_fichier and a.correspondance_requise
    manquantes = {e.colonne for e in a.erreurs if e.ligne == 0}
    assert manquantes == {"INE", "NOM", "PRENOMS", "DATE NAISSANCE", "DIPLOME", "RESULTAT"}
    dates = next(e for e in a.erreurs if e.colonne == "DATE NAISSANCE")
    assert "En-têtes les plus proches : « Date de naiss. »" in dates.message
    # The best guess for each field, accent- and case-insensitive, each header given once.
    devine = {champ: a.entetes[i] for champ, i in a.propositions.items()}
    assert devine == {**CORRESPONDANCE, "sexe": "Sexe", "situation_rentree": "Situation rentrée"}
    # A sample of each column (dates of an XLSX shown as jj/mm/aaaa), read apart from the analysis.
    exemples = echantillons(contenu)
    assert exemples[a.entetes.index("Date de naiss.")] == ["14/03/2007"] * 3
    assert exemples[a.entetes.index("Nom usuel")] == ["NOM1", "NOM2", "NOM3"]
    assert a.encodage == {"cp1252;": "Windows-1252", "utf8bom,": "UTF-8", "xlsx": "XLSX"}.get(format_, a.encodage)

    a = analyser(contenu, etablissement=cast.lycee_a, campagne=cast.campagne, correspondance=CORRESPONDANCE)
    assert a.valide and a.nouveaux == 3
    appliquer(contenu, etablissement=cast.lycee_a, campagne=cast.campagne, correspondance=CORRESPONDANCE)
    j = Jeune.objects.get(nom="NOM1")
    assert j.prenoms == "Éloïse" and f"{j.date_naissance:%d/%m/%Y}" == "14/03/2007" and j.sexe == "F"
    assert Reperage.objects.get(jeune=j).situation_rentree == "sans_solution"


def test_correspondance_tout_ou_rien_et_rapport_par_ligne(cast):
    contenu = fichier("cp1252;", lignes_renommees(1, 2) + lignes_renommees(3, **{"DATE NAISSANCE": "31/02/2007"}))
    with pytest.raises(ImportRefuse) as exc:
        appliquer(contenu, etablissement=cast.lycee_a, campagne=cast.campagne, correspondance=CORRESPONDANCE)
    assert [str(e) for e in exc.value.analyse.erreurs] == [
        "ligne 4, DATE NAISSANCE : Date invalide « 31/02/2007 » : attendu jj/mm/aaaa."
    ]
    assert not Jeune.objects.exists()


def test_entete_introuvable_liste_les_plus_proches(cast):
    contenu = fichier("utf8bom,", lignes_renommees(1))
    a = analyser(
        contenu,
        etablissement=cast.lycee_a,
        campagne=cast.campagne,
        correspondance={**CORRESPONDANCE, "date_naissance": "Date naissance"},
    )
    assert len(a.erreurs) == 1 and str(a.erreurs[0]).startswith(
        "fichier, Date naissance : En-tête « Date naissance » introuvable dans le fichier (colonne DATE NAISSANCE). "
        "En-têtes les plus proches : « Date de naiss. »,"
    )
    # One header for two fields is refused.
    a = analyser(
        contenu, etablissement=cast.lycee_a, campagne=cast.campagne,
        correspondance={**CORRESPONDANCE, "prenoms": "Nom usuel"},
    )  # fmt: skip
    assert "La même colonne ne peut être lue pour NOM et PRENOMS." in [e.message for e in a.erreurs]


def test_correspondance_enregistree_reprise_pour_les_memes_entetes_et_ce_lycee_seulement(cast):
    premier = fichier("cp1252;", lignes_renommees(1, 2))
    a = analyser(premier, etablissement=cast.lycee_a, campagne=cast.campagne)
    enregistrer_correspondance(cast.lycee_a, a.entetes, CORRESPONDANCE)
    # The next file: other rows, same headers (another encoding and separator: the normalised headers count).
    suivant = fichier("utf8bom,", lignes_renommees(3, 4, 5))
    a = analyser(suivant, etablissement=cast.lycee_a, campagne=cast.campagne)
    assert a.correspondance_enregistree and a.valide and a.nouveaux == 3
    # Another lycée does not get lycée A's mapping.
    a = analyser(suivant, etablissement=cast.lycee_b, campagne=cast.campagne)
    assert a.correspondance_requise and not a.correspondance_enregistree
    # Other headers: no saved mapping applies.
    autre = csv_octets(lignes_renommees(3), entetes=[*RENOMMAGE.values(), "Classe"])
    a = analyser(autre, etablissement=cast.lycee_a, campagne=cast.campagne)
    assert a.correspondance_requise and not a.correspondance_enregistree


def test_propositions_insensibles_aux_accents_et_a_la_casse():
    entetes = ["NAISSANCE (DATE)", "prénom", "Résultat à l'examen", "nom d'usage"]
    choix = {c: entetes[i] for c, i in propositions(entetes, {}).items()}
    assert choix["resultat"] == "Résultat à l'examen" and choix["prenoms"] == "prénom"
    assert choix["date_naissance"] == "NAISSANCE (DATE)" and choix["nom"] == "nom d'usage"
    assert signature_entetes(["Nom usuel"]) == signature_entetes(["NOM USUEL "])


def test_commande_colonne_puis_correspondance_reprise(cast, tmp_path, capsys):
    f = tmp_path / "cohorte.csv"
    f.write_bytes(fichier("cp1252;", lignes_renommees(1, 2)))
    uai = cast.lycee_a.uai
    with pytest.raises(SystemExit):
        call_command("import_eleves", str(f), "--uai", uai)
    sortie = capsys.readouterr()
    assert "fichier, DATE NAISSANCE : Colonne obligatoire absente : « DATE NAISSANCE ». En-têtes les plus proches : " \
           "« Date de naiss. »" in sortie.out  # fmt: skip
    assert '--colonne date_naissance="…"' in sortie.err
    # An unknown header: the error lists the closest headers found; nothing is written.
    with pytest.raises(SystemExit):
        call_command("import_eleves", str(f), "--uai", uai, "--commit",
                     *[f"--colonne={c}={e}" for c, e in CORRESPONDANCE.items() if c != "date_naissance"],
                     "--colonne", "date_naissance=Né(e) le")  # fmt: skip
    assert "En-tête « Né(e) le » introuvable dans le fichier (colonne DATE NAISSANCE). En-têtes les plus proches : " \
           "« Date de naiss. »" in capsys.readouterr().out  # fmt: skip
    assert not Jeune.objects.exists() and not CorrespondanceColonnes.objects.exists()
    # A field named by its template header works as well as its code.
    colonnes = [f"--colonne={c}={e}" for c, e in CORRESPONDANCE.items() if c != "date_naissance"]
    call_command(
        "import_eleves", str(f), "--uai", uai, "--commit", *colonnes, "--colonne", "DATE NAISSANCE=Date de naiss."
    )
    assert Jeune.objects.count() == 2
    enregistree = CorrespondanceColonnes.objects.get(etablissement=cast.lycee_a)
    assert enregistree.correspondance["date_naissance"] == "Date de naiss."
    # The next file with the same headers: no --colonne needed.
    f.write_bytes(fichier("cp1252;", lignes_renommees(3)))
    call_command("import_eleves", str(f), "--uai", uai, "--commit")
    assert "Correspondance des colonnes enregistrée pour ce lycée appliquée." in capsys.readouterr().err
    assert Jeune.objects.count() == 3


def test_commande_champ_inconnu(cast, tmp_path):
    from django.core.management.base import CommandError

    f = tmp_path / "c.csv"
    f.write_bytes(fichier("cp1252;", lignes_renommees(1)))
    with pytest.raises(CommandError, match="CHAMP parmi ine, nom, prenoms"):
        call_command("import_eleves", str(f), "--uai", cast.lycee_a.uai, "--colonne", "naissance=Date de naiss.")


def _deposer(c, cast, contenu, nom="cohorte.csv"):
    f = io.BytesIO(contenu)
    f.name = nom
    c.post(reverse("eleves:importer"), {"fichier": f, "etablissement": cast.lycee_a.pk, "campagne": cast.campagne.pk})
    return ImportEleves.objects.order_by("-cree_le", "-pk").first()


def test_etape_de_correspondance_par_l_ecran_puis_fichier_suivant(cast, client_de):
    c = client_de(cast.chef_a)
    imp = _deposer(c, cast, fichier("xlsx", lignes_renommees(1, 2)), "cohorte.xlsx")
    assert imp.apercu["correspondance_requise"]
    page = c.get(reverse("eleves:import_detail", args=[imp.uuid])).content.decode()
    assert "Correspondance des colonnes" in page and "Confirmer l&#x27;import" not in page
    i = imp.apercu["entetes"].index("Date de naiss.")
    assert f'<option value="{i}" selected>Date de naiss. — ex. : 14/03/2007, 14/03/2007</option>' in page
    valeurs = {ch: str(imp.apercu["entetes"].index(e)) for ch, e in CORRESPONDANCE.items()}
    # The same column twice: refused with a French message, nothing saved.
    rep = c.post(reverse("eleves:import_colonnes", args=[imp.uuid]), {**valeurs, "prenoms": valeurs["nom"]})
    assert rep.status_code == 422 and "Cette colonne est déjà choisie pour" in rep.content.decode()
    assert not CorrespondanceColonnes.objects.exists()
    rep = c.post(reverse("eleves:import_colonnes", args=[imp.uuid]), valeurs)
    assert rep.status_code == 302
    imp.refresh_from_db()
    assert imp.statut == "pret" and not imp.apercu["erreurs"] and imp.apercu["nouveaux"] == 2
    c.post(reverse("eleves:import_confirmer", args=[imp.uuid]))
    imp.refresh_from_db()
    assert imp.statut == "termine" and Jeune.objects.count() == 2
    # The next file with the same headers is read with the saved mapping: no mapping step.
    suivant = _deposer(c, cast, fichier("cp1252;", lignes_renommees(3, 4)))
    assert suivant.apercu["correspondance_enregistree"] and not suivant.apercu["erreurs"]
    assert suivant.apercu["nouveaux"] == 2
    page = c.get(reverse("eleves:import_detail", args=[suivant.uuid])).content.decode()
    assert "Colonnes lues avec la correspondance enregistrée pour ce lycée" in page
    c.post(reverse("eleves:import_confirmer", args=[suivant.uuid]))
    assert Jeune.objects.count() == 4
