from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "parcours"

    def ready(self):
        from parcours import visibilite

        visibilite.brancher()

        from avenirpro import cache_ecrans
        from parcours.models import Action, Inscription

        def par_inscription(o):
            return [cache_ecrans.lycee_de(Inscription, o.inscription_id)]

        cache_ecrans.suivre(
            {
                "parcours.Inscription": lambda o: [o.etablissement_id],
                "parcours.Action": par_inscription,
                "parcours.Creneau": lambda o: [
                    cache_ecrans.lycee_de(Action, o.action_id, "inscription__etablissement_id")
                ],
                "parcours.PFMP": par_inscription,
                "parcours.Presence": par_inscription,
                "parcours.PointSuivi": par_inscription,
                "parcours.Bilan": par_inscription,
            }
        )
