"""`python manage.py verifier_regles`: list every parcours row that breaks a rule; exit code 1 if any."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Vérifie que chaque parcours respecte les règles (R1, R3 à R9, identifiants) ; "
        "code de sortie 1 si un écart est trouvé."
    )

    def handle(self, *args, **options):
        from parcours.verification import autres_constats, constats

        n = 0
        for inscription, ecart in constats():
            n += 1
            self.stdout.write(
                f"{ecart.regle}\tparcours {inscription.uuid}\t{inscription.jeune}\t{ecart.objet or ecart.champ}\t"
                f"{ecart.message}"
            )
        for message in autres_constats():
            n += 1
            self.stdout.write(message)
        if n:
            self.stderr.write(f"{n} écart(s) aux règles.")
            sys.exit(1)
        self.stdout.write("Aucun écart aux règles.")
