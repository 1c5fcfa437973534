from django.apps import AppConfig


class EntretiensConfig(AppConfig):
    name = "entretiens"

    def ready(self):
        from entretiens import visibilite

        visibilite.brancher()

        from avenirpro import cache_ecrans
        from eleves.models import Jeune
        from entretiens.models import Entretien

        def lycee(o):
            return [cache_ecrans.lycee_de(Jeune, o.jeune_id)]

        cache_ecrans.suivre(
            {
                "entretiens.Reunion": lambda o: [o.etablissement_id],
                "entretiens.Invitation": lycee,
                "entretiens.Entretien": lycee,
            }
        )
        cache_ecrans.suivre_participants(
            Entretien.participants.through, lambda entretien: cache_ecrans.lycee_de(Jeune, entretien.jeune_id)
        )
