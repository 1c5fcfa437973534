"""`python manage.py css_dsfr`: regenerate static/css/dsfr-utilitaires.css, the DSFR utility classes in use
(avenirpro/css_dsfr.py). `--verifier` exits with an error when the committed file is out of date."""

from django.core.management.base import BaseCommand, CommandError

from avenirpro import css_dsfr


class Command(BaseCommand):
    help = "Régénère static/css/dsfr-utilitaires.css (les utilitaires DSFR utilisés par les gabarits)."

    def add_arguments(self, parser):
        parser.add_argument("--verifier", action="store_true", help="Vérifie seulement que le fichier est à jour.")

    def handle(self, *args, verifier=False, **options):
        for css, cible in ((css_dsfr.generer(), css_dsfr.cible()), (css_dsfr.generer_dsfr(), css_dsfr.cible_dsfr())):
            if verifier:
                if not cible.exists() or cible.read_text(encoding="utf-8") != css:
                    raise CommandError(f"{cible} n'est pas à jour : lancez `python manage.py css_dsfr`.")
                continue
            cible.write_text(css, encoding="utf-8")
            self.stdout.write(f"{cible} : {len(css.encode()) // 1024} Ko.")
