"""The personal screens' rows and the référent's week read by hand-written SQL (tableaux/lignes.py, issue #20) give
what the ORM gives, attribute by attribute: the rows against `selections.annoter` (still what the exports read), the
slots and PFMP of the week against the ORM's filters — on parcours with and without points, absences, a PFMP flag,
a référent, an early exit, an abandoned action, a slot outside the week, another week's absence."""

import datetime

import pytest
from django.utils import timezone

from parcours import regles
from parcours.models import PFMP, Action, Creneau, Inscription, PointSuivi, Presence, TypeLieu
from tableaux import lignes, selections
from tests.avenirpro.factories import UtilisateurFactory
from tests.tableaux.donnees import lundi_courant, peupler

pytestmark = pytest.mark.django_db

COLONNES = (
    "pk", "uuid", "statut", "mef", "numero_imilo", "date_entree", "date_fin_prevue", "date_sortie", "campagne_id",
    "referent_id", "jeune_id", "etablissement_id", "dernier_point", "prochain_point", "pfmp_signale",
)  # fmt: skip


def _varier(cast):
    """Parcours that differ in every column a row reads."""
    jour = timezone.localdate()
    lundi = lundi_courant()
    a, b, c, d = peupler(cast, 4)
    # b: no follow-up point, no PFMP flag, two absences this week and one last week, no référent, a telephone
    PointSuivi.objects.filter(inscription=b).delete()
    PFMP.objects.filter(inscription=b).update(depassement_signale=False)
    Presence.objects.create(inscription=b, date=lundi, periode="apres_midi", statut="absent_non_justifie")
    Presence.objects.create(
        inscription=b, date=lundi - datetime.timedelta(days=7), periode="matin", statut="absent_non_justifie"
    )
    Inscription.objects.filter(pk=b.pk).update(referent=None, numero_imilo="12345")
    b.jeune.telephone = "06 12 34 56 78"
    b.jeune.save()
    # c: two points the same day (the later id wins), a justified absence only, an early exit, a référent without
    # a name (shown by address)
    Presence.objects.filter(inscription=c).update(statut="absent_justifie")
    PointSuivi.objects.create(
        inscription=c,
        date=jour - datetime.timedelta(days=3),
        contenu="Bis",
        prochaine_date=jour + datetime.timedelta(days=9),
    )
    sans_nom = UtilisateurFactory(first_name="", last_name="", email="sans.nom@test.fr")
    Inscription.objects.filter(pk=c.pk).update(
        referent=sans_nom,
        date_sortie=jour + datetime.timedelta(days=2),
        statut="sortie",
        motif_sortie=Inscription.MotifSortie.values[0],
        situation_sortie=Inscription.SituationSortie.values[0],
    )
    # d: an abandoned action with a Saturday slot, an action of next month, a second PFMP outside the week
    abandonnee = Action.objects.create(
        inscription=d, type="tre", intitule="Abandonnée", statut=Action.Statut.ABANDONNEE, lieu="",
        type_lieu=TypeLieu.ENTREPRISE, date_debut=lundi, date_fin=lundi + datetime.timedelta(days=20),
    )  # fmt: skip
    Creneau.objects.create(action=abandonnee, jour=5, heure_debut=datetime.time(8), heure_fin=datetime.time(9))
    plus_tard = Action.objects.create(
        inscription=d, type="tre", intitule="Plus tard", date_debut=lundi + datetime.timedelta(days=30),
        date_fin=lundi + datetime.timedelta(days=40),
    )  # fmt: skip
    Creneau.objects.create(action=plus_tard, jour=1, heure_debut=datetime.time(10), heure_fin=datetime.time(11))
    PFMP.objects.create(
        inscription=d, entreprise="Plus tard", date_debut=lundi + datetime.timedelta(days=14),
        date_fin=lundi + datetime.timedelta(days=18),
    )  # fmt: skip
    return [a, b, c, d]


def test_les_lignes_en_sql_sont_celles_de_l_orm(cast):
    ids = [i.pk for i in _varier(cast)]
    jour = timezone.localdate()
    orm = {
        i.pk: i
        for i in selections.annoter(Inscription.objects.filter(pk__in=ids), jour).select_related(
            "jeune", "etablissement", "referent"
        )
    }
    sql = lignes.lignes(ids, jour)
    # the database's order (its collation), as the ORM's `order_by("jeune__nom", "pk")` gave it
    assert [x.pk for x in sql] == list(
        Inscription.objects.filter(pk__in=ids).order_by("jeune__nom", "pk").values_list("pk", flat=True)
    )
    for x in sql:
        i = orm[x.pk]
        for colonne in COLONNES:
            assert getattr(x, colonne) == getattr(i, colonne), colonne
        assert x.absences_semaine == (i.absences_semaine or 0)
        assert x.get_mef_display() == i.get_mef_display()
        assert (x.jeune.uuid, x.jeune.nom, x.jeune.prenoms, x.jeune.telephone) == (
            i.jeune.uuid, i.jeune.nom, i.jeune.prenoms, i.jeune.telephone
        )  # fmt: skip
        assert (x.etablissement.nom, x.etablissement.zone_vacances, x.etablissement.departement) == (
            i.etablissement.nom, i.etablissement.zone_vacances, i.etablissement.departement
        )  # fmt: skip
        assert str(x.referent or "") == str(i.referent or "")
        assert str(x.jeune) == str(i.jeune)
        assert regles.fin_reelle(x) == regles.fin_reelle(i)
    # the cases are really there
    assert {x.absences_semaine for x in sql} >= {0, 1, 2} and {x.pfmp_signale for x in sql} == {True, False}
    assert any(x.referent is None for x in sql) and any(str(x.referent) == "sans.nom@test.fr" for x in sql)
    assert any(x.dernier_point is None for x in sql) and any(x.date_sortie for x in sql)


def test_la_semaine_en_sql_est_celle_de_l_orm(cast):
    inscriptions_orm = _varier(cast)
    ids = [i.pk for i in inscriptions_orm]
    jour = timezone.localdate()
    lundi = lundi_courant()
    dimanche = lundi + datetime.timedelta(days=6)
    inscriptions, creneaux, pfmps = selections.attendus_de_la_semaine(ids, lundi, jour)
    attendus_orm = (
        Creneau.objects.filter(action__inscription_id__in=ids, action__date_debut__lte=dimanche)
        .filter(action__date_fin__gte=lundi)
        .select_related("action")
        .order_by("jour", "heure_debut", "pk")
    )
    assert sorted(c.pk for liste in creneaux.values() for c in liste) == sorted(c.pk for c in attendus_orm)
    orm = {c.pk: c for c in attendus_orm}
    for inscription_id, liste in creneaux.items():
        assert [c.pk for c in liste] == [c.pk for c in attendus_orm if c.action.inscription_id == inscription_id]
        for c in liste:
            o = orm[c.pk]
            assert (c.jour, c.heure_debut, c.heure_fin) == (o.jour, o.heure_debut, o.heure_fin)
            a, b = c.action, o.action
            for champ in ("pk", "inscription_id", "intitule", "lieu", "type_lieu", "date_debut", "date_fin", "statut"):
                assert getattr(a, champ) == getattr(b, champ), champ
            assert a.get_type_lieu_display() == b.get_type_lieu_display()
            assert a.inscription.pk == inscription_id and a.inscription in inscriptions
    pfmps_orm = PFMP.objects.filter(inscription_id__in=ids, date_debut__lte=dimanche, date_fin__gte=lundi)
    assert sorted(
        (p.pk, p.inscription_id, p.entreprise, p.date_debut, p.date_fin) for v in pfmps.values() for p in v
    ) == sorted((p.pk, p.inscription_id, p.entreprise, p.date_debut, p.date_fin) for p in pfmps_orm)
    assert any(c.action.statut == "abandonnee" for v in creneaux.values() for c in v)
    # the calendar rule reads the same half-days from both
    orm_par_pk = {i.pk: i for i in Inscription.objects.filter(pk__in=ids).select_related("etablissement")}
    for i in inscriptions:
        assert regles.demi_journees_attendues(
            i, creneaux.get(i.pk, []), pfmps.get(i.pk, []), lundi, dimanche
        ) == regles.demi_journees_attendues(
            orm_par_pk[i.pk],
            [c for c in attendus_orm if c.action.inscription_id == i.pk],
            list(pfmps_orm.filter(inscription_id=i.pk)),
            lundi,
            dimanche,
        )


def test_les_presences_saisies_en_sql_sont_celles_de_l_orm(cast):
    """The half-days recorded this week (the référent's «à saisir» list), by one prepared statement: those of the
    given parcours only, the bounds included, another week's left out."""
    inscriptions = _varier(cast)
    ids = [i.pk for i in inscriptions]
    lundi = lundi_courant()
    autre = peupler(cast, 1)[0]
    Presence.objects.get_or_create(inscription=autre, date=lundi, periode="matin")
    Presence.objects.get_or_create(
        inscription=inscriptions[0], date=lundi + datetime.timedelta(days=4), periode="matin"
    )
    for debut, fin in (
        (lundi, lundi),
        (lundi, lundi + datetime.timedelta(days=4)),
        (lundi, lundi + datetime.timedelta(days=6)),
    ):
        orm = set(
            Presence.objects.filter(inscription_id__in=ids, date__range=(debut, fin)).values_list(
                "inscription_id", "date", "periode"
            )
        )
        assert lignes.presences_saisies(ids, debut, fin) == orm
    semaine = lignes.presences_saisies(ids, lundi, lundi + datetime.timedelta(days=6))
    assert semaine and not any(pk == autre.pk for pk, _, _ in semaine)
    assert (inscriptions[0].pk, lundi + datetime.timedelta(days=4), "matin") in semaine
    assert not any(d < lundi for _, d, _ in semaine)
    assert lignes.presences_saisies([], lundi, lundi) == set()
