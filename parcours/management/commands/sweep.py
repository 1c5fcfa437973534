"""`python manage.py sweep`: run the daily sweep synchronously and print what it did."""

import datetime

from django.core.management.base import BaseCommand, CommandError

LIBELLES = {
    "parcours": "parcours actifs examinés",
    "lots": "lots",
    "limite_J30": "parcours à J-30 de leur limite",
    "limite_J15": "parcours à J-15 de leur limite",
    "limite_J7": "parcours à J-7 de leur limite",
    "a_cloturer": "parcours à clôturer (limite atteinte sans sortie)",
    "passes_a_cloturer": "parcours passés au statut « à clôturer »",
    "sans_point_suivi": "parcours sans point de suivi récent",
    "bilan_non_planifie": "bilans non planifiés à 15 jours de la fin",
    "absences": "semaines au-dessus du seuil d'absences",
    "pfmp_verifiees": "parcours dont les PFMP ont été revérifiées",
    "pfmp_depassements": "parcours au-delà du plafond PFMP",
    "pfmp_signalees": "PFMP nouvellement signalées",
    "non_contactes": "jeunes repérés non contactés",
    "resumes_hebdo": "résumés hebdomadaires créés",
    "rappels_reunions": "rappels de réunion envoyés",
    "regles_ecarts": "écarts aux règles des parcours (verifier_regles)",
    "notifications": "notifications créées",
    "taches_renvoyees": "tâches en attente renvoyées au courtier",
    "deja_en_cours": "balayage déjà en cours (rien fait)",
}


class Command(BaseCommand):
    help = "Lance le balayage quotidien (limites, PFMP, suivi, rappels) et affiche les nombres."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="date du balayage, jj/mm/aaaa (par défaut : aujourd'hui)")
        parser.add_argument("--sans-rappels", action="store_true", help="ne pas envoyer les rappels de réunion")

    def handle(self, *args, date=None, sans_rappels=False, **options):
        from avenirpro.taches import renvoyer_taches_en_attente
        from parcours.balayage import balayer

        jour = None
        if date:
            try:
                jour = datetime.datetime.strptime(date, "%d/%m/%Y").date()
            except ValueError as e:
                raise CommandError("Date invalide : utilisez le format jj/mm/aaaa.") from e
        comptes = balayer(aujourdhui=jour, rappels=not sans_rappels)
        comptes["taches_renvoyees"] = renvoyer_taches_en_attente()
        for cle, libelle in LIBELLES.items():
            if cle in comptes:
                self.stdout.write(f"{libelle} : {comptes[cle]}")
        for cle in sorted(set(comptes) - set(LIBELLES)):
            self.stdout.write(f"{cle} : {comptes[cle]}")
