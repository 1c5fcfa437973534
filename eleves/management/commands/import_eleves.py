"""`python manage.py import_eleves FICHIER --uai UAI [--campagne SESSION] [--commit] [--valides-seulement]`.

Without --commit: preview only, nothing is written. Exit status 0 when every row is valid, 1 otherwise; one line per
error on stdout.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from avenirpro.models import Campagne, Etablissement
from eleves.importation import ImportRefuse, analyser, appliquer


class Command(BaseCommand):
    help = "Importe le fichier des résultats d'examen d'un lycée (aperçu sans --commit)."

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--uai", required=True, help="UAI du lycée.")
        parser.add_argument("--campagne", type=int, help="Session de la campagne (défaut : la campagne courante).")
        parser.add_argument("--commit", action="store_true", help="Écrire en base (sinon : aperçu seulement).")
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
        ecrit = False
        if opts["commit"]:
            try:
                a = appliquer(
                    contenu,
                    etablissement=etablissement,
                    campagne=campagne,
                    valides_seulement=opts["valides_seulement"],
                )
                ecrit = True
            except ImportRefuse as exc:
                a = exc.analyse
        else:
            a = analyser(contenu, etablissement=etablissement, campagne=campagne)
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
