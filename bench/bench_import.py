"""Benchmark of the cohort import: 10,000-row CSV, end to end (parse + validation + bulk write).

`python bench/bench_import.py` runs against DATABASE_URL (migrated); it creates its own lycée and campaign and
removes what it wrote. `mesurer()` returns [(label, value)] for bench/run.py.
Targets: ≥ 5,000 rows/s, ≤ 300 MB.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "avenirpro.settings")
# Standalone run outside DEBUG (DEBUG would keep every SQL statement in memory): a throwaway key is enough here.
os.environ.setdefault("SECRET_KEY", "banc-d-essai-seulement-" + "x" * 40)

LIGNES = 10_000
SESSION_BANC = 1990  # never the current campaign
UAI_CHIFFRES = "0999990"


def _fichier(n: int) -> bytes:
    entetes = (
        "INE;NOM;PRENOMS;DATE NAISSANCE;SEXE;TELEPHONE;COURRIEL;DIPLOME;SPECIALITE;DIVISION;RESULTAT;PARCOURSUP;"
        "SITUATION RENTREE"
    )
    lignes = [entetes]
    for i in range(n):
        lignes.append(
            f"{i:09d}BE;NOM{i};Éloïse;{1 + i % 28:02d}/{1 + i % 12:02d}/2007;F;06 12 34 56 78;j{i}@exemple.fr;"
            f"{'CAP' if i % 2 else 'BAC PRO'};Cuisine;T{i % 9};{['ADMIS', 'AJOURNE', 'ABSENT'][i % 3]};"
            "AUCUNE PROPOSITION ACCEPTEE;SANS SOLUTION"
        )
    return ("\r\n".join(lignes) + "\r\n").encode("cp1252")


# The same file with headers a lycée's custom extraction could write: read through a saved mapping (ADR 0019).
RENOMMES = {"INE": "N° INE élève", "NOM": "Nom usuel", "PRENOMS": "Prénom usuel", "DATE NAISSANCE": "Date de naiss.",
            "DIPLOME": "Diplôme visé", "RESULTAT": "Décision finale"}  # fmt: skip
CORRESPONDANCE = {
    "ine": "N° INE élève",
    "nom": "Nom usuel",
    "prenoms": "Prénom usuel",
    "date_naissance": "Date de naiss.",
    "diplome": "Diplôme visé",
    "resultat": "Décision finale",
}


def _fichier_renomme(n: int) -> bytes:
    texte = _fichier(n).decode("cp1252")
    entete, reste = texte.split("\r\n", 1)
    entete = ";".join(RENOMMES.get(e, e) for e in entete.split(";"))
    return (entete + "\r\n" + reste).encode("cp1252")


def _nettoyer(etablissement, campagne):
    """Remove what the bench wrote, without signals (no history rows for the clean-up itself)."""
    from eleves.models import Contact, CorrespondanceColonnes, Jeune, Reperage, UniteValidee

    CorrespondanceColonnes.objects.filter(etablissement=etablissement).delete()
    ids = list(Jeune.objects.filter(etablissement=etablissement).values_list("pk", flat=True))
    for qs in (
        UniteValidee.objects.filter(jeune_id__in=ids),
        Contact.objects.filter(jeune_id__in=ids),
        Reperage.objects.filter(campagne=campagne),
        Reperage.history.filter(jeune_id__in=ids),
        Jeune.history.filter(id__in=ids),
        Jeune.objects.filter(pk__in=ids),
    ):
        qs._raw_delete(qs.db)


def mesurer() -> list[tuple[str, str]]:
    import django

    django.setup()
    from avenirpro.models import Campagne, Etablissement
    from avenirpro.validators import lettre_cle_uai
    from eleves.importation import appliquer

    etablissement, _ = Etablissement.objects.get_or_create(
        uai=UAI_CHIFFRES + lettre_cle_uai(UAI_CHIFFRES),
        defaults={"nom": "Lycée du banc d'essai", "departement": "69", "academie": "Lyon", "zone_vacances": "A"},
    )
    import datetime

    campagne, _ = Campagne.objects.get_or_create(
        session=SESSION_BANC,
        defaults={"nom": "Banc d'essai", "date_rentree": datetime.date(SESSION_BANC, 9, 1),
                  "date_entree_min": datetime.date(SESSION_BANC, 9, 1)},
    )  # fmt: skip
    _nettoyer(etablissement, campagne)
    contenu = _fichier(LIGNES)
    try:
        rss_avant = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0, c0 = time.perf_counter(), time.process_time()
        a = appliquer(contenu, etablissement=etablissement, campagne=campagne)
        duree, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert a.nouveaux == LIGNES and not a.erreurs, a.erreurs[:3]
        t0 = time.perf_counter()
        a2 = appliquer(contenu, etablissement=etablissement, campagne=campagne)
        duree2 = time.perf_counter() - t0
        assert a2.inchanges == LIGNES
        # A 10,000-row file with other headers, read through the mapping the lycée saved (new rows again).
        _nettoyer(etablissement, campagne)
        from eleves.importation import analyser
        from eleves.services import enregistrer_correspondance

        renomme = _fichier_renomme(LIGNES)
        premier = analyser(renomme[:2000], etablissement=etablissement, campagne=campagne)
        assert premier.correspondance_requise
        enregistrer_correspondance(etablissement, premier.entetes, CORRESPONDANCE)
        t0 = time.perf_counter()
        a3 = appliquer(renomme, etablissement=etablissement, campagne=campagne)
        duree3 = time.perf_counter() - t0
        assert a3.correspondance_enregistree and a3.nouveaux == LIGNES and not a3.erreurs, a3.erreurs[:3]
    finally:
        _nettoyer(etablissement, campagne)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        ("import 10 000 lignes (nouvelles) — lignes/s", f"{LIGNES / duree:,.0f}".replace(",", " ")),
        ("import 10 000 lignes (nouvelles) — durée", f"{duree:.2f} s"),
        ("import 10 000 lignes — lignes/s en temps CPU Python", f"{LIGNES / cpu:,.0f}".replace(",", " ")),
        ("charge de la machine (load average 1 min)", f"{os.getloadavg()[0]:.1f}"),
        ("ré-import identique — lignes/s", f"{LIGNES / duree2:,.0f}".replace(",", " ")),
        ("import 10 000 lignes avec correspondance enregistrée — durée", f"{duree3:.2f} s"),
        (
            "import 10 000 lignes avec correspondance enregistrée — lignes/s",
            f"{LIGNES / duree3:,.0f}".replace(",", " "),
        ),
        ("import — mémoire résidente max du processus", f"{rss:.0f} Mo"),
        ("import — mémoire résidente avant l'import (Django chargé)", f"{rss_avant:.0f} Mo"),
    ]


if __name__ == "__main__":
    for libelle, valeur in mesurer():
        print(f"{libelle:<50} {valeur}")
