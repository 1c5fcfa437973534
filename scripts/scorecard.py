#!/usr/bin/env python
"""The reliability / data-protection / accessibility scorecard (docs/scorecard.md), from real runs.

    python scripts/scorecard.py            # run the suites below, then render
    python scripts/scorecard.py --lire     # only render what the last runs recorded in var/scorecard/
    python scripts/scorecard.py --create-db

The tests record what they measure as JSON facts in var/scorecard/<nom>.json (tests/fiabilite/scorecard.py:
`consigner`); other areas' suites may record theirs (e.g. `matrice.json` from the access-matrix test, an import
fuzzing fact from the eleves suite): every fact present is rendered. This script also runs
`manage.py check --deploy` with production-like settings and reads pytest's JUnit report. It prints the markdown
and writes docs/scorecard.md. Exit status: that of the test run (0 when everything passed).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
FAITS = RACINE / "var" / "scorecard"
JUNIT = FAITS / "junit.xml"
SORTIE = RACINE / "docs" / "scorecard.md"

# What `make scorecard` runs: our suites, plus those of other areas that record facts when they exist.
SELECTIONS = [
    "tests/fiabilite",
    "tests/e2e/test_accessibilite.py",
    "tests/avenirpro/test_socle.py",
]
SELECTIONS_OPTIONNELLES = [
    "tests/avenirpro/test_matrice.py",
    "tests/test_matrice.py",
    "tests/acces/test_canaris.py",
    "tests/eleves/test_import_fuzz.py",
    "tests/eleves/test_import_hypothesis.py",
    "tests/eleves/test_import_corpus.py",
    "tests/parcours/test_concurrence.py",
    "tests/parcours/test_concurrency.py",
    # Security findings of issue 13 (ADR 0009): each records a `securite_*` fact, rendered by `lignes_securite`.
    "tests/acces/test_escalade.py",
    "tests/acces/test_mfa_verrouillage.py",
    "tests/avenirpro/test_telechargement_revocation.py",
    "tests/avenirpro/test_journal_ajout_seul.py",
    "tests/avenirpro/test_parametres_url.py",
    "tests/avenirpro/test_securite_divers.py",
    "tests/parcours/test_limite_ics.py",
    "tests/tableaux/test_secret_statistique.py",
    "tests/eleves/test_import_bombe.py",
]


def lancer_tests(create_db: bool) -> int:
    FAITS.mkdir(parents=True, exist_ok=True)
    selections = SELECTIONS + [s for s in SELECTIONS_OPTIONNELLES if (RACINE / s).exists()]
    cmd = [
        str(RACINE / "scripts" / "pytest.sh"),
        "--create-db" if create_db else "--reuse-db",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={JUNIT}",
        *selections,
    ]
    print("$ " + " ".join(cmd), file=sys.stderr)
    return subprocess.call(cmd, cwd=RACINE)


def check_deploy() -> dict:
    """`manage.py check --deploy` with production-like settings; counts the warnings and errors it prints."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "false",
        "TESTING": "false",
        "SECRET_KEY": "scorecard-" + "x" * 50 + "-Aa1!Bb2@Cc3#",
        "ALLOWED_HOSTS": "avenirpro.example.gouv.fr",
        "DATABASE_URL": "sqlite:////tmp/avenirpro-scorecard-check.sqlite3",
    }
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=RACINE, env=env, capture_output=True, text=True
    )
    sortie = r.stdout + r.stderr
    alertes = re.findall(r"^\S+: \((\w+\.[WE]\d+)\)", sortie, flags=re.M)
    return {"code": r.returncode, "alertes": alertes}


def lire_junit() -> dict:
    if not JUNIT.exists():
        return {}
    racine = ET.parse(JUNIT).getroot()
    cas = {}
    for tc in racine.iter("testcase"):
        nom = f"{tc.get('classname')}::{tc.get('name')}"
        if tc.find("failure") is not None or tc.find("error") is not None:
            cas[nom] = "échec"
        elif tc.find("skipped") is not None:
            cas[nom] = "ignoré"
        else:
            cas[nom] = "ok"
    return {"cas": cas, "date": datetime.datetime.fromtimestamp(JUNIT.stat().st_mtime, datetime.UTC)}


def lire_faits() -> dict[str, dict]:
    faits = {}
    for f in sorted(FAITS.glob("*.json")):
        try:
            faits[f.stem] = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return faits


# --- Rendering ----------------------------------------------------------------------------------------------

OK, KO, NA = "✅", "❌", "—"


def _etat(condition: bool | None) -> str:
    return NA if condition is None else (OK if condition else KO)


def _tests(junit: dict, motif: str) -> tuple[int, int]:
    cas = {k: v for k, v in junit.get("cas", {}).items() if re.search(motif, k)}
    return sum(v == "ok" for v in cas.values()), len(cas)


def lignes_tableau(faits: dict, junit: dict, deploy: dict) -> list[tuple[str, str, str, str, str]]:
    """(domaine, indicateur, valeur, cible, état)"""
    L = []

    def f(nom, cle, defaut=None):
        return (faits.get(nom) or {}).get(cle, defaut)

    def fait_absent(domaine, indicateur, cible, source):
        L.append((domaine, indicateur, f"non mesuré ({source} absent)", cible, NA))

    # Access matrix (acces helper) and canaries.
    m = faits.get("matrice")
    if m:
        for cle, valeur in m.items():
            if cle in ("nom", "date") or isinstance(valeur, dict | list):
                continue
            bon = None
            if any(mot in cle for mot in ("fuite", "leak", "diff", "non_mapp", "unmapped", "echec")):
                bon = valeur == 0
            L.append(
                ("Matrice d'accès", cle.replace("_", " "), str(valeur), "0" if bon is not None else "", _etat(bon))
            )
    else:
        fait_absent("Matrice d'accès", "cas exécutés, fuites", "0 fuite", "var/scorecard/matrice.json")
    c = faits.get("canaris")
    if c:
        for cle, valeur in c.items():
            if cle not in ("nom", "date") and not isinstance(valeur, dict | list):
                bon = valeur == 0 if "fuite" in cle else None
                L.append(("Canaris", cle.replace("_", " "), str(valeur), "0" if bon is not None else "", _etat(bon)))
    else:
        fait_absent("Canaris", "sondes, fuites", "0 fuite", "var/scorecard/canaris.json")

    L += lignes_securite(faits)

    # Imports (eleves helper).
    imp = next((faits[n] for n in sorted(faits) if n.startswith("import")), None)
    if imp:
        for cle, valeur in imp.items():
            if cle in ("nom", "date") or isinstance(valeur, dict | list):
                continue
            bon = valeur == 0 if ("partiel" in cle or "5xx" in cle or "erreur" in cle) else None
            L.append(("Imports", cle.replace("_", " "), str(valeur), "0" if bon is not None else "", _etat(bon)))
    else:
        fait_absent("Imports", "fichiers fuzzés, imports partiels", "0 import partiel", "fait d'import")

    # Redis and Celery.
    if "redis_arrete" in faits:
        s = faits["redis_arrete"]
        L.append(
            (
                "Redis arrêté",
                "connexion, page, enregistrement, /healthz",
                ", ".join(f"{k} {v}" for k, v in s["statuts"].items()),
                "0 × 5xx",
                _etat(s["erreurs_5xx"] == 0),
            )
        )
        L.append(
            (
                "Redis arrêté",
                "tâche gardée en base puis envoyée une fois",
                "oui" if s["taches_renvoyees_une_fois"] else "non",
                "oui",
                _etat(s["taches_renvoyees_une_fois"]),
            )
        )
    else:
        fait_absent("Redis arrêté", "parcours sans Redis", "0 × 5xx", "redis_arrete")
    if "redis_gele" in faits:
        s = faits["redis_gele"]
        L.append(
            (
                "Redis gelé (SIGSTOP)",
                "requête la plus lente",
                f"{s['duree_max_s']} s",
                "≤ 2 s",
                _etat(s["duree_max_s"] <= 2),
            )
        )
    else:
        fait_absent("Redis gelé (SIGSTOP)", "requête la plus lente", "≤ 2 s", "redis_gele")
    if "celery" in faits:
        s = faits["celery"]
        L.append(
            (
                "Worker tué (SIGKILL)",
                "tâches perdues / effets en double",
                f"{s['taches_perdues']} / {s['effets_en_double']}",
                "0 / 0",
                _etat(s["taches_perdues"] == 0 and s["effets_en_double"] == 0),
            )
        )
        L.append(("Worker tué (SIGKILL)", "reprise de la tâche", f"{s['reprise_apres_mort_s']} s", "mesuré", NA))
        L.append(
            (
                "Redis redémarré",
                "reconnexion du worker, tâche suivante traitée",
                f"{s['reconnexion_apres_redemarrage_redis_s']} s",
                "mesuré",
                NA,
            )
        )
    else:
        fait_absent("Worker tué (SIGKILL)", "tâches perdues", "0", "celery")

    # Concurrency (parcours helper).
    conc = next((faits[n] for n in sorted(faits) if "concurren" in n), None)
    if conc:
        for cle, valeur in conc.items():
            if cle in ("nom", "date") or isinstance(valeur, dict | list):
                continue
            bon = valeur == 0 if ("violation" in cle or "depassement" in cle) else None
            L.append(("Concurrence", cle.replace("_", " "), str(valeur), "0" if bon is not None else "", _etat(bon)))
    else:
        fait_absent("Concurrence", "exécutions, violations", "0 violation", "fait de concurrence")

    # PostgreSQL.
    for nom, libelle in (("pg_statement_timeout", "statement_timeout"), ("pg_lock_timeout", "lock_timeout")):
        if nom in faits:
            duree = faits[nom].get("annulee_apres_s", faits[nom].get("echec_apres_s"))
            L.append(
                ("PostgreSQL", f"{libelle} (abaissé à 300 ms)", f"erreur après {duree} s", "< 2 s", _etat(duree < 2))
            )
        else:
            fait_absent("PostgreSQL", libelle, "erreur", nom)

    # Configuration and sessions.
    L.append(
        (
            "Configuration",
            "`check --deploy` : avertissements",
            str(len(deploy["alertes"])) + (f" ({', '.join(deploy['alertes'])})" if deploy["alertes"] else ""),
            "0",
            _etat(deploy["code"] == 0 and not deploy["alertes"]),
        )
    )
    ok, total = _tests(junit, r"test_socle::test_expiration")
    L.append(
        (
            "Sessions",
            "expiration (inactivité 30 min, absolue 12 h)",
            f"{ok}/{total} tests",
            "100 %",
            _etat(total and ok == total or None),
        )
    )
    if "entetes" in faits:
        s = faits["entetes"]
        L.append(
            (
                "En-têtes",
                "CSP sans unsafe-inline (scripts), nosniff",
                f"{s['csp_ok']}/{s['pages']} · {s['nosniff_ok']}/{s['pages']} pages",
                "100 %",
                _etat(s["csp_ok"] == s["pages"] == s["nosniff_ok"]),
            )
        )
        L.append(
            (
                "En-têtes",
                "Cache-Control: no-store sur page authentifiée",
                "oui" if s["no_store_authentifie"] else "non",
                "oui (CF-05)",
                _etat(s["no_store_authentifie"]),
            )
        )
    if "redirections" in faits:
        s = faits["redirections"]
        L.append(
            (
                "Redirections",
                f"charges `next=` ({s['charges']} charges, connexion et déconnexion)",
                f"{s['hors_site']} hors site",
                "0",
                _etat(s["hors_site"] == 0),
            )
        )
    if "requetes_trop_grosses" in faits:
        s = faits["requetes_trop_grosses"]
        L.append(
            (
                "Requêtes",
                "corps > DATA_UPLOAD_MAX_MEMORY_SIZE ; > 1 000 champs",
                f"{s['corps_trop_gros']} ; {s['trop_de_champs']}",
                "400 ; 400",
                _etat(s["corps_trop_gros"] == 400 and s["trop_de_champs"] == 400),
            )
        )
    if "depots" in faits:
        s = faits["depots"]
        n = s["urls_de_depot_testees"]
        L.append(
            (
                "Dépôts",
                "écrans de dépôt testés (fichier trop gros, faux CSV)",
                f"{n} (plafond {s['import_max_octets'] // 1024 // 1024} Mo)"
                + ("" if n else " : aucun écran de dépôt dans la branche"),
                "0 × 5xx, rien d'importé",
                _etat(True) if n else NA,
            )
        )

    # RGPD.
    if "retention" in faits:
        s = faits["retention"]
        L.append(
            (
                "RGPD",
                "dossier échu : préavis puis anonymisation, canaris restants",
                f"{s['anonymises']} anonymisé, {s['canaris_restants']} canari",
                "0 canari",
                _etat(s["canaris_restants"] == 0),
            )
        )
        L.append(
            (
                "RGPD",
                "dossiers conservés au-delà de l'échéance",
                str(s["dossiers_en_retard"]),
                "0",
                _etat(s["dossiers_en_retard"] == 0),
            )
        )
    if "retention_journaux" in faits:
        s = faits["retention_journaux"]
        L.append(
            (
                "RGPD",
                "journal des accès et historiques de plus d'un an restants après la purge",
                f"{s['lignes_restantes']} ({s['lignes_purgees']} purgées)",
                "0",
                _etat(s["lignes_restantes"] == 0),
            )
        )
    if "rgpd_export" in faits:
        s = faits["rgpd_export"]
        L.append(
            (
                "RGPD",
                "droit d'accès : modèles liés au jeune couverts par l'export",
                f"{s['modeles_exportes']}/{s['modeles_attendus']}",
                "100 %",
                _etat(s["modeles_exportes"] == s["modeles_attendus"]),
            )
        )
    if "journal_acces" in faits:
        s = faits["journal_acces"]
        L.append(
            (
                "RGPD",
                "exports et lectures de dossier de la matrice inscrits au journal des accès",
                f"{s['urls_verifiees'] - s['non_journalisees']}/{s['urls_verifiees']} URL",
                "100 %",
                _etat(s["non_journalisees"] == 0),
            )
        )
    if "rgpd_effacement" in faits:
        s = faits["rgpd_effacement"]
        L.append(
            (
                "RGPD",
                "effacement : canaris restants en base",
                str(s["canaris_restants"]),
                "0",
                _etat(s["canaris_restants"] == 0),
            )
        )

    # Accessibility.
    if "axe" in faits:
        s = faits["axe"]
        L.append(
            (
                "Accessibilité",
                f"axe-core : violations graves ou critiques ({s['pages']} pages)",
                str(s["violations_graves"]),
                "0",
                _etat(s["violations_graves"] == 0),
            )
        )
        L.append(
            (
                "Accessibilité",
                "axe-core : règles mineures ou modérées",
                str(s["violations_mineures_ou_moderees"]),
                "",
                NA,
            )
        )
    else:
        fait_absent("Accessibilité", "axe-core", "0 grave", "axe")
    if "clavier_connexion" in faits:
        L.append(
            (
                "Accessibilité",
                "connexion au clavier seul (Tab/Entrée)",
                "réussie",
                "réussie",
                _etat(faits["clavier_connexion"]["ok"]),
            )
        )
    if "clavier_ecrans" in faits:
        ecrans = faits["clavier_ecrans"]["ecrans"]
        L.append(
            (
                "Accessibilité",
                "écrans de travail au clavier",
                ", ".join(f"{k} : {v}" for k, v in ecrans.items()),
                "",
                NA,
            )
        )

    # Statistical secret (R12): the differencing attack on pilotage (issue #13, F2).
    if "secret_differences" in faits:
        s = faits["secret_differences"]
        L.append(
            (
                "Secret statistique",
                f"attaque par différences ({s['telechargements']} téléchargements de pilotage, "
                f"{s['cases_masquees']} cases masquées) : cases recalculées",
                str(s["cases_recalculees"]),
                "0",
                _etat(s["cases_recalculees"] == 0),
            )
        )
    else:
        fait_absent("Secret statistique", "attaque par différences", "0 case recalculée", "secret_differences")
    # Import: decompression bombs and slow files (issue #13, F3).
    if "bombe_import" in faits:
        for cas in faits["bombe_import"].get("cas", []):
            L.append(
                (
                    "Import hostile",
                    f"{cas['fichier']} ({cas['taille_mo']} Mo) : pic mémoire du processus {cas['pic_memoire_mo']} Mo "
                    f"(dont {cas.get('rss_avant_mo')} Mo avant), {cas['duree_s']} s",
                    "refusé" if cas["refuse"] and cas["rien_ecrit"] else "accepté",
                    "refusé",
                    _etat(cas["refuse"] and cas["rien_ecrit"]),
                )
            )
    else:
        fait_absent("Import hostile", "bombe de décompression, fichiers lents", "refusés", "bombe_import")

    # Backup.
    if "restauration" in faits:
        s = faits["restauration"]
        L.append(
            (
                "Sauvegarde",
                "exercice de restauration (pg_dump → base neuve)",
                f"{s['tables']} tables, {s['lignes']} lignes, {s['ecarts']} écart, {s['duree_s']} s",
                "0 écart",
                _etat(s["ecarts"] == 0 and s["ecart_detecte"]),
            )
        )
    else:
        fait_absent("Sauvegarde", "exercice de restauration", "0 écart", "restauration")
    return L


# Security findings of issue 13: (fact, indicator, how to read the fact → (value, good?), target).
SECURITE = [
    (
        "securite_escalade",
        "escalade de privilèges : rôle × chemin d'attribution × cible",
        lambda f: (
            f"{f['combinaisons']} essais, {f['ecarts']} écart, {f['roles_donnes_sans_acceptation']} rôle sans "
            "acceptation",
            f["ecarts"] == 0 and f["roles_donnes_sans_acceptation"] == 0,
        ),
        "0 écart",
    ),
    (
        "securite_telechargement_revocation",
        "téléchargement d'un export après retrait du rôle",
        lambda f: (
            f"{f['exports_essayes']} exports, {f['telechargements_apres_revocation']} téléchargé",
            f["telechargements_apres_revocation"] == 0,
        ),
        "0 téléchargé",
    ),
    (
        "securite_journal_ajout_seul",
        "journal des accès en ajout seul (PostgreSQL)",
        lambda f: (
            f"{f['operations_essayees']} UPDATE/DELETE essayés, {f['operations_acceptees']} accepté",
            f["operations_acceptees"] == 0,
        ),
        "0 accepté",
    ),
    (
        "securite_mfa_pilotage",
        "double authentification activable (pilotage, page des adresses ouverte)",
        lambda f: ("boucle" if f["boucle"] else "activée", f["boucle"] == 0 and f["activation_possible"] == 1),
        "activée",
    ),
    (
        "securite_mfa_admin",
        "double authentification activable (administrateur, page des adresses ouverte)",
        lambda f: ("boucle" if f["boucle"] else "activée", f["boucle"] == 0 and f["activation_possible"] == 1),
        "activée",
    ),
    (
        "securite_parametres_url",
        "fuzz des dates et nombres des URL (Hypothesis)",
        lambda f: (f"{f['requetes']} requêtes, {f['reponses_5xx']} × 5xx", f["reponses_5xx"] == 0),
        "0 × 5xx",
    ),
    (
        "securite_limite_ics",
        "limite de débit du flux ICS anonyme",
        lambda f: (
            f"{f['requetes']} requêtes, {f['refusees_429']} × 429, {f['acceptees_au_dela_de_la_limite']} de trop",
            f["acceptees_au_dela_de_la_limite"] == 0 and f["refusees_429"] > 0,
        ),
        "429 au-delà",
    ),
    (
        "securite_neutralisation_csv",
        "charges de formule neutralisées (CSV, XLSX)",
        lambda f: (f"{f['charges']} charges, {f['non_neutralisees']} non neutralisée", f["non_neutralisees"] == 0),
        "0",
    ),
    (
        "securite_entete_server",
        "en-tête Server sous gunicorn",
        lambda f: ("présent" if f["entete_server_present"] else "absent", f["entete_server_present"] == 0),
        "absent",
    ),
]


def lignes_securite(faits: dict) -> list[tuple[str, str, str, str, str]]:
    L = []
    for nom, indicateur, lire, cible in SECURITE:
        f = faits.get(nom)
        if not f:
            L.append(("Sécurité", indicateur, f"non mesuré ({nom} absent)", cible, NA))
            continue
        try:
            valeur, bon = lire(f)
        except (KeyError, TypeError):
            L.append(("Sécurité", indicateur, f"fait {nom} illisible", cible, KO))
            continue
        L.append(("Sécurité", indicateur, valeur, cible, _etat(bon)))
    return L


def rendre(faits: dict, junit: dict, deploy: dict, code_tests: int | None) -> str:
    maintenant = datetime.datetime.now(datetime.UTC)
    lignes = lignes_tableau(faits, junit, deploy)
    cas = junit.get("cas", {})
    sortie = [
        "# Scorecard fiabilité, protection des données et accessibilité",
        "",
        f"Généré par `make scorecard` le {maintenant:%d/%m/%Y à %H:%M} UTC à partir des exécutions réelles "
        "(faits dans `var/scorecard/`, voir `scripts/scorecard.py`).",
        "",
    ]
    if cas:
        echecs = [k for k, v in cas.items() if v == "échec"]
        sortie.append(
            f"Tests exécutés : {len(cas)}, réussis : {sum(v == 'ok' for v in cas.values())}, "
            f"échecs : {len(echecs)}" + (f" ({', '.join(echecs[:5])})" if echecs else "") + "."
        )
        sortie.append("")
    sortie += ["| Domaine | Indicateur | Valeur mesurée | Cible | État |", "|---|---|---|---|---|"]
    sortie += [f"| {d} | {i} | {v} | {c} | {e} |" for d, i, v, c, e in lignes]
    if "axe" in faits:
        sortie += [
            "",
            "## axe-core, page par page",
            "",
            "| Page | URL | Graves | Autres règles |",
            "|---|---|---|---|",
        ]
        for label, p in faits["axe"]["par_page"].items():
            url = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>", p["url"])
            sortie.append(f"| {label} | `{url}` | {', '.join(p['graves']) or '0'} | {', '.join(p['autres']) or '—'} |")
    connus = {
        "matrice",
        "canaris",
        "redis_arrete",
        "redis_gele",
        "celery",
        "pg_statement_timeout",
        "pg_lock_timeout",
        "entetes",
        "redirections",
        "requetes_trop_grosses",
        "depots",
        "retention",
        "retention_journaux",
        "rgpd_export",
        "rgpd_effacement",
        "journal_acces",
        "axe",
        "clavier_connexion",
        "clavier_ecrans",
        "restauration",
        *(nom for nom, *_ in SECURITE),
    }
    autres = {
        n: v for n, v in faits.items() if n not in connus and not n.startswith("import") and "concurren" not in n
    }
    if autres:
        sortie += ["", "## Autres faits enregistrés", "", "| Fait | Valeurs |", "|---|---|"]
        for nom, v in sorted(autres.items()):
            valeurs = ", ".join(
                f"{k} = {x}" for k, x in v.items() if k not in ("nom", "date") and not isinstance(x, dict | list)
            )
            sortie.append(f"| {nom} | {valeurs} |")
    anciens = [
        n
        for n, v in faits.items()
        if code_tests is not None and v.get("date") and v["date"] < DEBUT.isoformat(timespec="seconds")
    ]
    if anciens:
        sortie += ["", f"Faits repris d'une exécution précédente : {', '.join(sorted(anciens))}."]
    return "\n".join(sortie) + "\n"


DEBUT = datetime.datetime.now(datetime.UTC)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lire", action="store_true", help="ne pas relancer les tests, lire le dernier run")
    parser.add_argument("--create-db", action="store_true", help="recréer la base de test")
    args = parser.parse_args()
    code = None if args.lire else lancer_tests(args.create_db)
    deploy = check_deploy()
    texte = rendre(lire_faits(), lire_junit(), deploy, code)
    SORTIE.parent.mkdir(parents=True, exist_ok=True)
    SORTIE.write_text(texte, encoding="utf-8")
    print(texte)
    print(f"Écrit dans {SORTIE.relative_to(RACINE)}", file=sys.stderr)
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
