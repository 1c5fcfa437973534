"""The attendance counts kept by the database (`parcours.ComptePresences`, ADR 0028): after any sequence of writes to
the attendance table, by any path — a save, a bulk insert, an insert that skips or updates the half-days already
recorded (the grid), a bulk update, a half-day moved to another parcours, a delete, a bulk delete, a parcours
deleted with its half-days, a raw statement — each parcours' row holds exactly the counts of its half-days, and a
parcours without any has no row. Then the figures that read them (the chef's, the pilotage table's) equal the
attendance rows' own counts."""

import datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from parcours.models import ComptePresences, Inscription, Presence
from tableaux import statistiques
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db

LUNDI = datetime.date(2026, 10, 5)
STATUTS = [s for s, _ in Presence.Statut.choices]
PERIODES = [p for p, _ in Presence.Periode.choices]
PRESENTES = {Presence.Statut.PRESENT, Presence.Statut.RETARD}

jours = st.integers(min_value=0, max_value=4)
demi_journees = st.tuples(jours, st.sampled_from(PERIODES))


def recompter() -> dict[int, tuple[int, int, int]]:
    """The counts from the attendance rows themselves."""
    comptes: dict[int, list[int]] = {}
    for inscription_id, statut in Presence.objects.values_list("inscription_id", "statut"):
        c = comptes.setdefault(inscription_id, [0, 0, 0])
        c[0] += 1
        c[1] += statut in PRESENTES
        c[2] += statut == Presence.Statut.ABSENT_NON_JUSTIFIE
    return {k: tuple(v) for k, v in comptes.items()}


def tenus() -> dict[int, tuple[int, int, int]]:
    return {
        c.inscription_id: (c.demi_journees, c.presentes, c.absences_non_justifiees)
        for c in ComptePresences.objects.all()
    }


class MachinePresences(RuleBasedStateMachine):
    """One example = one savepoint, rolled back at the end. Three parcours of one campaign, two lycées."""

    cast = None

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        c = self.cast
        self.inscriptions = [
            InscriptionFactory(jeune__etablissement=lycee, campagne=c.campagne).pk
            for lycee in (c.lycee_a, c.lycee_a, c.lycee_b)
        ]

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _vivantes(self):
        return [pk for pk in self.inscriptions if Inscription.objects.filter(pk=pk).exists()]

    def _existe(self, inscription, jour, periode) -> bool:
        return Presence.objects.filter(
            inscription_id=inscription, date=LUNDI + datetime.timedelta(days=jour), periode=periode
        ).exists()

    def _presence(self, inscription, jour, periode, statut) -> Presence:
        return Presence(
            inscription_id=inscription, date=LUNDI + datetime.timedelta(days=jour), periode=periode, statut=statut
        )

    @rule(n=st.integers(0, 2), demi=demi_journees, statut=st.sampled_from(STATUTS))
    def enregistrer_une(self, n, demi, statut):
        inscription = self.inscriptions[n]
        if Inscription.objects.filter(pk=inscription).exists() and not self._existe(inscription, *demi):
            self._presence(inscription, *demi, statut).save()

    @rule(n=st.integers(0, 2), demis=st.lists(demi_journees, max_size=6, unique=True), statut=st.sampled_from(STATUTS))
    def enregistrer_en_masse_sans_ecraser(self, n, demis, statut):
        """`bulk_create(ignore_conflicts=True)`: INSERT … ON CONFLICT DO NOTHING (what exists is kept)."""
        inscription = self.inscriptions[n]
        if Inscription.objects.filter(pk=inscription).exists():
            Presence.objects.bulk_create(
                [self._presence(inscription, j, p, statut) for j, p in demis], ignore_conflicts=True
            )

    @rule(n=st.integers(0, 2), demis=st.lists(demi_journees, max_size=6, unique=True), statut=st.sampled_from(STATUTS))
    def enregistrer_la_grille(self, n, demis, statut):
        """`bulk_create(update_conflicts=True)`: INSERT … ON CONFLICT DO UPDATE (a grid saved over recorded days)."""
        inscription = self.inscriptions[n]
        if Inscription.objects.filter(pk=inscription).exists():
            Presence.objects.bulk_create(
                [self._presence(inscription, j, p, statut) for j, p in demis],
                update_conflicts=True,
                unique_fields=["inscription", "date", "periode"],
                update_fields=["statut"],
            )

    @rule(data=st.data(), statut=st.sampled_from(STATUTS))
    def corriger_une(self, data, statut):
        pks = list(Presence.objects.order_by("pk").values_list("pk", flat=True))
        if pks:
            presence = Presence.objects.get(pk=data.draw(st.sampled_from(pks)))
            presence.statut = statut
            presence.save()

    @rule(n=st.integers(0, 2), statut=st.sampled_from(STATUTS))
    def corriger_en_masse(self, n, statut):
        Presence.objects.filter(inscription_id=self.inscriptions[n]).update(statut=statut)

    @rule(data=st.data())
    def corriger_par_bulk_update(self, data):
        presences = list(Presence.objects.order_by("pk")[:5])
        for p in presences:
            p.statut = data.draw(st.sampled_from(STATUTS))
        Presence.objects.bulk_update(presences, ["statut"])

    @rule(depuis=st.integers(0, 2), vers=st.integers(0, 2))
    def deplacer(self, depuis, vers):
        """A half-day moved to another parcours (only where that parcours has none that day)."""
        source, cible = self.inscriptions[depuis], self.inscriptions[vers]
        if source == cible or not Inscription.objects.filter(pk=cible).exists():
            return
        for p in Presence.objects.filter(inscription_id=source):
            if not self._existe(cible, (p.date - LUNDI).days, p.periode):
                Presence.objects.filter(pk=p.pk).update(inscription_id=cible)
                return

    @rule(data=st.data())
    def supprimer_une(self, data):
        pks = list(Presence.objects.order_by("pk").values_list("pk", flat=True))
        if pks:
            Presence.objects.get(pk=data.draw(st.sampled_from(pks))).delete()

    @rule(n=st.integers(0, 2), jour=jours)
    def supprimer_un_jour(self, n, jour):
        Presence.objects.filter(
            inscription_id=self.inscriptions[n], date=LUNDI + datetime.timedelta(days=jour)
        ).delete()

    @rule(n=st.integers(0, 2))
    def supprimer_le_parcours(self, n):
        """The parcours deleted (the RGPD erasure of a young person): its half-days go with it."""
        Inscription.objects.filter(pk=self.inscriptions[n]).delete()

    @rule(statut=st.sampled_from(STATUTS))
    def ecrire_en_sql(self, statut):
        """A statement outside the ORM (a fix run by hand in psql)."""
        with connection.cursor() as cur:
            cur.execute("UPDATE parcours_presence SET statut = %s WHERE periode = 'matin'", [statut])

    @invariant()
    def les_comptes_sont_ceux_des_demi_journees(self):
        assert tenus() == recompter()


def test_les_comptes_tenus_par_la_base_sont_ceux_des_demi_journees(cast):
    MachinePresences.cast = cast
    reglages = settings(
        max_examples=30,
        stateful_step_count=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    run_state_machine_as_test(MachinePresences, settings=reglages)


def test_les_chiffres_qui_lisent_les_comptes_sont_ceux_des_demi_journees(cast):
    """The chef's figures (one statement per lycée) and the pilotage table (grouped by lycée) read the kept counts;
    they equal the counts of the attendance rows, taken here with the ORM on the rows themselves."""
    a1, a2, b = (
        InscriptionFactory(jeune__etablissement=lycee, campagne=cast.campagne)
        for lycee in (cast.lycee_a,) * 2 + (cast.lycee_b,)
    )
    statuts = iter(STATUTS * 10)
    for inscription, n in ((a1, 7), (a2, 3), (b, 5)):
        jours_ = [(LUNDI + datetime.timedelta(days=k // 2), PERIODES[k % 2]) for k in range(n)]
        Presence.objects.bulk_create(
            [Presence(inscription=inscription, date=d, periode=p, statut=next(statuts)) for d, p in jours_]
        )
    Presence.objects.filter(inscription=a2).update(statut=Presence.Statut.RETARD)
    Presence.objects.filter(inscription=b, periode="matin").delete()

    def attendu(*inscriptions):
        rangs = Presence.objects.filter(inscription__in=inscriptions)
        return {
            "demi_journees": rangs.count(),
            "demi_journees_presentes": rangs.filter(statut__in=PRESENTES).count(),
            "absences_non_justifiees": rangs.filter(statut=Presence.Statut.ABSENT_NON_JUSTIFIE).count(),
        }

    champs = list(attendu(a1))
    chef = statistiques.chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]
    assert {k: chef[k] for k in champs} == attendu(a1, a2)
    deux = statistiques.chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk, cast.lycee_b.pk]})[None]
    assert {k: deux[k] for k in champs} == attendu(a1, a2, b)
    pilotage = statistiques.chiffres(cast.campagne, {}, "lycee")
    assert {k: pilotage[cast.lycee_a.pk][k] for k in champs} == attendu(a1, a2)
    assert {k: pilotage[cast.lycee_b.pk][k] for k in champs} == attendu(b)
    assert statistiques.chiffres_orm(cast.campagne, {"pk__in": [cast.lycee_b.pk]})[None]["demi_journees"] == 2
