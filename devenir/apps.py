from django.apps import AppConfig


class DevenirConfig(AppConfig):
    name = "devenir"
    verbose_name = "Devenir des jeunes et espace personnel"

    def ready(self):
        # The sweep's devenir step and the consent asked and given at the exit (parcours calls them through its
        # extension points: it never imports devenir).
        from devenir import services
        from devenir.forms import ConsentementSortie
        from parcours import extensions

        def apres_sortie(*, inscription, user, donnees):
            services.enregistrer_consentement(
                inscription=inscription,
                user=user,
                courriel=donnees["courriel_jeune"],
                accord_devenir=donnees["accord_devenir"],
                accord_liaison=donnees["accord_liaison"],
            )

        extensions.ETAPES_BALAYAGE.append(services.balayer_devenir)
        extensions.CHAMPS_SORTIE.append(ConsentementSortie)
        extensions.APRES_SORTIE.append(apres_sortie)
