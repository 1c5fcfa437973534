from django.apps import AppConfig


class EntretiensConfig(AppConfig):
    name = "entretiens"

    def ready(self):
        from entretiens import visibilite

        visibilite.brancher()

        # The interviews' part of the young person's file and of the counsellor's list (eleves' extension points).
        from eleves import extensions
        from entretiens import selections

        extensions.CONTEXTE_DOSSIER.append(selections.contexte_dossier)
        extensions.COLONNES_SUIVIS.append(extensions.Colonnes(selections.annoter_suivis, selections.preparer_suivis))

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
