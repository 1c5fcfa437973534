"""The rows of the personal screens (référent, counsellor), as named querysets with everything they display
joined or annotated, so that a page costs the same number of queries with 1 or 500 rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from eleves.models import Jeune
from entretiens.models import Entretien
from parcours.models import PFMP, Action, Creneau, Inscription, PointSuivi, Presence


def semaine(jour: datetime.date) -> tuple[datetime.date, datetime.date]:
    lundi = jour - datetime.timedelta(days=jour.weekday())
    return lundi, lundi + datetime.timedelta(days=6)


def inscriptions_suivies(user, *, jour: datetime.date, role: str):
    """Active parcours of which `user` is the référent (role="referent") or the counsellor (role="conseiller"),
    with the young person, the lycée, the last follow-up point, the next one, the PFMP flag and this week's
    unexcused absences."""
    filtre = {"referent": user} if role == "referent" else {"conseiller": user}
    return annoter(
        Inscription.objects.visibles_par(user).filter(**filtre).exclude(statut=Inscription.Statut.SORTIE), jour
    ).order_by("date_fin_prevue", "jeune__nom", "pk")


def annoter(qs, jour: datetime.date):
    """What a row of the personal screens shows, joined or annotated on the parcours of `qs`: the young person,
    the lycée, the last follow-up point, the next one, the PFMP flag and the unexcused absences of the week."""
    lundi, dimanche = semaine(jour)
    dernier_point = PointSuivi.objects.filter(inscription=OuterRef("pk")).order_by("-date", "-pk")
    absences = (
        Presence.objects.filter(
            inscription=OuterRef("pk"),
            date__range=(lundi, dimanche),
            statut=Presence.Statut.ABSENT_NON_JUSTIFIE,
        )
        .order_by()
        .values("inscription")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.select_related("jeune", "etablissement", "campagne", "referent", "conseiller").annotate(
        dernier_point=Subquery(dernier_point.values("date")[:1]),
        prochain_point=Subquery(dernier_point.values("prochaine_date")[:1]),
        pfmp_signale=Exists(PFMP.objects.filter(inscription=OuterRef("pk"), depassement_signale=True)),
        absences_semaine=Subquery(absences),
    )


def creneaux_de_la_semaine(inscription_ids, *, jour: datetime.date):
    """Timetable slots of the given parcours whose action runs during the week of `jour`."""
    lundi, dimanche = semaine(jour)
    return (
        Creneau.objects.filter(
            action__inscription_id__in=inscription_ids,
            action__date_debut__lte=dimanche,
            action__date_fin__gte=lundi,
        )
        .exclude(action__statut=Action.Statut.ABANDONNEE)
        .select_related("action__inscription__jeune")
        .order_by("jour", "heure_debut", "pk")
    )


def attendus_de_la_semaine(inscription_ids, lundi: datetime.date):
    """What `parcours.regles.demi_journees_attendues` needs for the week of `lundi`, for the given parcours: the
    parcours (with their lycée, for its holiday zone), their slots and their PFMP by parcours id. Three queries."""
    dimanche = lundi + datetime.timedelta(days=6)
    inscriptions = list(
        Inscription.objects.filter(pk__in=inscription_ids)
        .select_related("jeune", "etablissement")
        .order_by("jeune__nom", "pk")
    )
    creneaux, pfmps = {}, {}
    for c in (
        Creneau.objects.filter(action__inscription_id__in=inscription_ids)
        .filter(action__date_debut__lte=dimanche, action__date_fin__gte=lundi)
        .select_related("action")
    ):
        creneaux.setdefault(c.action.inscription_id, []).append(c)
    for p in PFMP.objects.filter(inscription_id__in=inscription_ids, date_debut__lte=dimanche, date_fin__gte=lundi):
        pfmps.setdefault(p.inscription_id, []).append(p)
    return inscriptions, creneaux, pfmps


def presences_saisies(inscription_ids, debut: datetime.date, fin: datetime.date) -> set:
    return set(
        Presence.objects.filter(inscription_id__in=inscription_ids, date__range=(debut, fin)).values_list(
            "inscription_id", "date", "periode"
        )
    )


def entretiens_a_venir(user, *, jeunes=None, participant=False):
    qs = Entretien.objects.visibles_par(user).filter(date__gte=timezone.now() - datetime.timedelta(hours=2))
    if jeunes is not None:
        qs = qs.filter(jeune__in=jeunes)
    if participant:
        # The interviews I take part in, as an id set rather than a join: no DISTINCT over the wide rows.
        mes_entretiens = Entretien.participants.through.objects.filter(utilisateur=user).values("entretien_id")
        qs = qs.filter(Q(pk__in=mes_entretiens) | Q(auteur=user))
    return qs.select_related("jeune", "jeune__etablissement").order_by("date", "pk")


def jeunes_par_lycee(user, campagne):
    """Young people of the lycées the counsellor's mission locale covers (as far as they are visible to them),
    counted per lycée, with those enrolled in the campaign."""
    from avenirpro.acces import perimetre

    return (
        Jeune.objects.visibles_par(user)
        .filter(etablissement_id__in=perimetre(user).couverts)
        .values("etablissement__uuid", "etablissement__nom", "etablissement__commune")
        .annotate(
            jeunes=Count("pk", distinct=True),
            inscrits=Count("inscriptions", filter=Q(inscriptions__campagne=campagne), distinct=True),
        )
        .order_by("etablissement__nom")
    )
