"""The typology of a candidate at repérage (docs/regles.md), computed from result, Parcoursup and situation."""

from eleves.models import Reperage

SOLUTIONS = {Reperage.Situation.EMPLOI, Reperage.Situation.APPRENTISSAGE, Reperage.Situation.FORMATION}


def typologie_calculee(reperage: Reperage) -> str:
    T = Reperage.Typologie
    if reperage.situation_rentree in SOLUTIONS:
        return T.AVEC_SOLUTION
    if reperage.resultat == Reperage.Resultat.ADMIS:
        if reperage.parcoursup == Reperage.Parcoursup.ACCEPTEE:
            return T.AVEC_SOLUTION
        if reperage.parcoursup == Reperage.Parcoursup.AUCUNE:
            return T.DIPLOME_SANS_PARCOURSUP
        return T.DIPLOME_SANS_SOLUTION
    # Failed or absent: re-sitting comes first when the young person wants it (R9).
    return T.ECHEC_REPREPARER if reperage.souhaite_repreparer else T.ECHEC_ACCOMPAGNEMENT
