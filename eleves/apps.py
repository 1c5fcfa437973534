from django.apps import AppConfig


class ElevesConfig(AppConfig):
    name = "eleves"

    def ready(self):
        from avenirpro import cache_ecrans
        from eleves.models import Jeune

        def lycee(o):
            return [cache_ecrans.lycee_de(Jeune, o.jeune_id)]

        cache_ecrans.suivre(
            {
                "eleves.Jeune": lambda o: [o.etablissement_id],
                "eleves.Reperage": lycee,
                "eleves.Contact": lycee,
                "eleves.UniteValidee": lycee,
            }
        )
