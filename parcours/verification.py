"""The database audit: every parcours checked against the rules (`parcours.conformite.ecarts_parcours`), in batches.

A safety net behind the services, which refuse any write that would break a rule: `manage.py verifier_regles` lists
the rows found (exit code 1 if any) and the daily sweep notifies each lycée's chefs once a day.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Prefetch

from parcours.conformite import PREPARATIONS_DE_LOT, Ecart, ecarts_parcours
from parcours.models import PFMP, Action, Inscription, Presence

TAILLE_LOT = 500


def constats(*, taille_lot: int = TAILLE_LOT, filtre: dict | None = None) -> Iterator[tuple[Inscription, Ecart]]:
    """Every (parcours, breach) of the database, in a constant number of queries per batch."""
    qs = Inscription.objects.filter(**(filtre or {})).order_by("pk")
    dernier = 0
    while True:
        lot = list(
            qs.filter(pk__gt=dernier)
            .select_related("campagne", "jeune")
            .prefetch_related(
                Prefetch("actions", Action.objects.only("pk", "inscription_id", "intitule", "date_debut", "date_fin")),
                Prefetch(
                    "pfmps",
                    PFMP.objects.only(
                        "pk",
                        "uuid",  # named by a finding (R18: `pfmp:<uuid>`)
                        "inscription_id",
                        "type",
                        "entreprise",
                        "date_debut",
                        "date_fin",
                        "convention_signee_le",
                    ),
                ),
                Prefetch("presences", Presence.objects.only("pk", "inscription_id", "date", "pfmp_id")),
            )[:taille_lot]
        )
        if not lot:
            return
        for preparer in PREPARATIONS_DE_LOT:
            preparer(lot)
        for i in lot:
            ecarts = ecarts_parcours(
                i, actions=list(i.actions.all()), pfmps=list(i.pfmps.all()), presences=list(i.presences.all())
            )
            for e in ecarts:
                yield i, e
        dernier = lot[-1].pk


def autres_constats() -> list[str]:
    """The audits of the rules kept outside a parcours' own rows: R1 volunteering and R9 re-sit offer at enrolment
    (parcours.volontariat, eleves.regles), an I-Milo number shared by two young people (parcours.regles). One line
    each."""
    from eleves import regles as regles_eleves
    from parcours import regles, volontariat

    return [
        *volontariat.inscriptions_sans_volontariat(),
        *regles_eleves.inscriptions_sans_offre_reinscription(),
        *regles_eleves.reperages_reinscription_sans_motif(),
        *regles.numeros_imilo_partages(),
    ]


def notifier_chefs(*, aujourdhui: datetime.date, chefs: dict[int, list[int]], trouves=None) -> dict:
    """The audit run by the daily sweep: the chefs of each lycée with findings get one notification a day."""
    from avenirpro.notifications import Avis, notifier_en_masse

    par_lycee: dict[int, list[tuple[Inscription, Ecart]]] = defaultdict(list)
    for i, e in trouves if trouves is not None else constats():
        par_lycee[i.etablissement_id].append((i, e))
    avis = []
    for eid, liste in par_lycee.items():
        parcours = {i.pk for i, _ in liste}
        exemples = "\n".join(f"- {i.jeune} : {e.message} ({e.regle})" for i, e in liste[:10])
        for uid in chefs.get(eid, []):
            avis.append(
                Avis(
                    uid,
                    f"verifier-regles:{eid}:{aujourdhui:%Y-%m-%d}",
                    f"Règles du parcours : {len(liste)} écart(s) sur {len(parcours)} parcours",
                    "La vérification quotidienne a trouvé des données hors des règles :\n" + exemples,
                )
            )
    return {
        "regles_ecarts": sum(len(v) for v in par_lycee.values()),
        "notifications": notifier_en_masse(avis),
    }
