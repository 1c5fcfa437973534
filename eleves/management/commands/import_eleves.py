"""`python manage.py import_eleves FICHIER --uai UAI [--campagne SESSION] [--colonne CHAMP="En-tête"]… [--commit]
[--valides-seulement]`.

--colonne says which header of the file holds a field (ADR 0022), e.g. --colonne date_naissance="Né(e) le"; with
--commit and a successful import, the mapping is saved for the lycée and reused for the next file with the same
headers. Without --colonne, the mapping the lycée saved for these headers applies, if any.

Without --commit: preview only, nothing is written. Exit status 0 when every row is valid, 1 otherwise; one line per
error on stdout.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from avenirpro.models import Campagne, Etablissement
from eleves.importation import COLONNES, PAR_CHAMP, ImportRefuse, _cle, analyser, appliquer
from eleves.services import enregistrer_correspondance


def _champ(nom: str) -> str | None:
    """A field named by its code (date_naissance) or its template header (DATE NAISSANCE), any case or accents."""
    cle = _cle(nom)
    for c in COLONNES:
        if cle in (_cle(c.champ), _cle(c.entete)):
            return c.champ
    return None


class Command(BaseCommand):
    help = "Importe le fichier des résultats d'examen d'un lycée (aperçu sans --commit)."

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--uai", required=True, help="UAI du lycée.")
        parser.add_argument("--campagne", type=int, help="Session de la campagne (défaut : la campagne courante).")
        parser.add_argument("--commit", action="store_true", help="Écrire en base (sinon : aperçu seulement).")
        parser.add_argument(
            "--colonne",
            action="append",
            default=[],
            metavar='CHAMP="En-tête"',
            help='La colonne du fichier qui contient ce champ (répétable), ex. date_naissance="Né(e) le".',
        )
        parser.add_argument(
            "--valides-seulement", action="store_true", help="Avec --commit : importer les lignes valides seules."
        )

    def handle(self, *args, **opts):
        etablissement = Etablissement.objects.filter(uai=opts["uai"].strip().upper()).first()
        if etablissement is None:
            raise CommandError(f"Aucun lycée d'UAI {opts['uai']}.")
        if opts["campagne"]:
            campagne = Campagne.objects.filter(session=opts["campagne"]).first()
        else:
            campagne = Campagne.courante()
        if campagne is None:
            raise CommandError("Aucune campagne : créez-la d'abord.")
        try:
            contenu = Path(opts["fichier"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {exc}") from exc
        correspondance = None
        for option in opts["colonne"]:
            nom, egal, entete = option.partition("=")
            champ = _champ(nom)
            if not egal or champ is None:
                raise CommandError(
                    f'--colonne « {option} » : attendu CHAMP="En-tête", CHAMP parmi {", ".join(PAR_CHAMP)}.'
                )
            correspondance = correspondance or {}
            correspondance[champ] = entete.strip()
        ecrit = False
        if opts["commit"]:
            try:
                a = appliquer(
                    contenu,
                    etablissement=etablissement,
                    campagne=campagne,
                    valides_seulement=opts["valides_seulement"],
                    correspondance=correspondance,
                )
                ecrit = True
            except ImportRefuse as exc:
                a = exc.analyse
        else:
            a = analyser(contenu, etablissement=etablissement, campagne=campagne, correspondance=correspondance)
        if ecrit and correspondance:
            enregistrer_correspondance(etablissement, a.entetes, a.correspondance)
        if a.correspondance_enregistree:
            self.stderr.write("Correspondance des colonnes enregistrée pour ce lycée appliquée.")
        if a.correspondance_requise and not correspondance:
            manquantes = [c.champ for c in COLONNES if c.obligatoire and c.champ not in a.correspondance]
            exemple = " ".join(f'--colonne {c}="…"' for c in manquantes)
            self.stderr.write(f"Indiquez les colonnes du fichier : {exemple}")
        for e in a.erreurs:
            self.stdout.write(str(e))
        bilan = (
            f"{a.total} ligne(s) : {a.nouveaux} nouvelle(s), {a.modifies} mise(s) à jour, "
            f"{a.inchanges} inchangée(s), {a.en_erreur} en erreur."
        )
        if ecrit:
            bilan += " Import enregistré."
        elif opts["commit"]:
            bilan += " Rien n'a été importé."
        else:
            bilan += " Aperçu seulement : rien n'a été écrit (--commit pour importer)."
        self.stderr.write(bilan)
        if a.erreurs:
            sys.exit(1)
