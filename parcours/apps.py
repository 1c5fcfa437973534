from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "parcours"

    def ready(self):
        from parcours import visibilite

        visibilite.brancher()

        # The parcours' part of the young person's file, of the counsellor's list, of the search and of the bulk
        # actions: eleves shows them through its extension points, without importing the parcours.
        from eleves import extensions
        from parcours import lot, selections
        from parcours.forms import DesignationLotForm

        extensions.CONTEXTE_DOSSIER.append(selections.contexte_dossier)
        extensions.COLONNES_SUIVIS.append(extensions.Colonnes(selections.annoter_suivis, selections.preparer_suivis))
        extensions.RESULTATS_RECHERCHE.append(
            extensions.Resultats(selections.parcours_des_resultats, selections.preparer_resultat)
        )
        extensions.ACTIONS_LOT["designation"] = extensions.ActionLot(
            "Désigner le référent et le conseiller", DesignationLotForm, lot.designer_groupe
        )

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
