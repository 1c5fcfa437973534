"""The personal screens' lists read through statements the ORM builds and compiles once per process for the user's
perimeter (`avenirpro.sql.compilee`, issue #20): they give what the ORM's querysets give, row for row; they are
reused by the same perimeter and never by another; the clock of each request is put in the statement, not the
instant of its compilation; and a statement is read now, never kept with its rows."""

import datetime

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from avenirpro.campagnes import campagne_choisie
from avenirpro.models import Role, Utilisateur
from avenirpro.sql import SENTINELLE_INSTANT, compilee
from eleves.models import Jeune
from entretiens.models import Entretien
from parcours.models import Inscription
from tableaux import selections
from tests.avenirpro.factories import AffectationFactory, CampagneFactory, CouvertureFactory
from tests.eleves.factories import JeuneFactory
from tests.entretiens.factories import EntretienFactory
from tests.parcours.factories import InscriptionFactory
from tests.tableaux.donnees import peupler

pytestmark = pytest.mark.django_db


def _frais(user):
    # A fresh user object per call: the perimeter is computed once per request (and per user object).
    return Utilisateur.objects.get(pk=user.pk)


def _entretiens_orm(user, **kwargs):
    limite = kwargs.pop("limite")
    return [
        (e.pk, e.uuid, e.type, e.date, e.jeune.uuid, e.jeune.nom, e.jeune.prenoms, e.jeune.etablissement.nom)
        for e in selections.entretiens_a_venir(_frais(user), **kwargs)[:limite]
    ]


def _entretiens_lus(user, **kwargs):
    return [
        (e.pk, e.uuid, e.type, e.date, e.jeune.uuid, e.jeune.nom, e.jeune.prenoms, e.jeune.etablissement.nom)
        for e in selections.entretiens_du_tableau(_frais(user), **kwargs)
    ]


def _jeunes_par_lycee_orm(user, campagne):
    """The counsellor's young people per lycée as the screen read them before session 15, grouped on the lycées'
    names with distinct counts over every parcours: the oracle of the statement grouped by the lycée's id."""
    return list(
        Jeune.objects.visibles_par(user)
        .filter(etablissement_id__in=user.perimetre.couverts)
        .values("etablissement__uuid", "etablissement__nom", "etablissement__commune")
        .annotate(
            jeunes=Count("pk", distinct=True),
            inscrits=Count("inscriptions", filter=Q(inscriptions__campagne=campagne), distinct=True),
        )
        .order_by("etablissement__nom")
    )


def _varier(cast):
    """Parcours of two campaigns, one left, one of another lycée; interviews past, to come and of someone else."""
    a, b, c = peupler(cast, 3)
    autre_campagne = CampagneFactory(session=cast.campagne.session - 1)
    Inscription.objects.filter(pk=b.pk).update(campagne=autre_campagne)
    Inscription.objects.filter(pk=c.pk).update(
        statut="sortie",
        date_sortie=timezone.localdate(),
        motif_sortie=Inscription.MotifSortie.values[0],
        situation_sortie=Inscription.SituationSortie.values[0],
    )
    (d,) = peupler(cast, 1, lycee=cast.lycee_b, reunion=None)
    maintenant = timezone.now()
    EntretienFactory(jeune=a.jeune, campagne=cast.campagne, date=maintenant - datetime.timedelta(hours=3))
    EntretienFactory(jeune=a.jeune, campagne=cast.campagne, date=maintenant - datetime.timedelta(hours=1))
    EntretienFactory(jeune=d.jeune, campagne=cast.campagne, date=maintenant + datetime.timedelta(days=1))
    return autre_campagne


def test_les_listes_compilees_donnent_ce_que_donne_l_orm(cast):
    autre_campagne = _varier(cast)
    for user, role in (
        (cast.referent_a, "referent"),
        (cast.conseiller_a, "conseiller"),
        (cast.conseiller_b, "conseiller"),
    ):
        for campagne in (None, cast.campagne, autre_campagne):
            attendu = selections.parcours_suivis(_frais(user), role=role)
            if campagne is not None:
                attendu = attendu.filter(campagne=campagne)
            lus = selections.ids_suivis(_frais(user), role=role, campagne=campagne)
            assert lus == list(attendu.values_list("pk", "jeune_id")), (user, campagne)
    # A young person with a parcours in each campaign: counted once among the young people, once per campaign.
    (premier,) = peupler(cast, 1)
    InscriptionFactory(jeune=premier.jeune, campagne=autre_campagne, conseiller=cast.conseiller_a)
    for campagne in (None, cast.campagne, autre_campagne):
        attendu = _jeunes_par_lycee_orm(_frais(cast.conseiller_a), campagne)
        assert selections.jeunes_par_lycee(_frais(cast.conseiller_a), campagne) == attendu
        assert attendu and attendu[0]["jeunes"] > 0
    # The newest campaign, read by the statement itself: that campaign's counts, not the other one's.
    assert campagne_choisie({})[0] == cast.campagne
    recente = selections.jeunes_par_lycee(_frais(cast.conseiller_a), selections.LA_PLUS_RECENTE)
    assert recente == _jeunes_par_lycee_orm(_frais(cast.conseiller_a), cast.campagne)
    assert recente != _jeunes_par_lycee_orm(_frais(cast.conseiller_a), autre_campagne)
    jeunes = [j for _, j in selections.ids_suivis(_frais(cast.referent_a), role="referent")]
    for user, kwargs in (
        (cast.conseiller_a, {"participant": True, "limite": 50}),
        (cast.conseiller_a, {"participant": True, "limite": 1}),
        (cast.referent_a, {"jeunes": jeunes, "limite": 20}),
        (cast.referent_a, {"jeunes": [], "limite": 20}),
        (cast.chef_a, {"limite": 50}),
    ):
        assert _entretiens_lus(user, **kwargs) == _entretiens_orm(user, **kwargs), (user, kwargs)
    assert len(_entretiens_lus(cast.chef_a, limite=50)) >= 4


def test_l_heure_de_chaque_requete_est_celle_du_moment(cast):
    """The clock is a variable of the statement: with the instant of its compilation (or the sentinel) in its
    place, an interview that started three hours ago would still be «to come»."""
    (a,) = peupler(cast, 1)
    passe = EntretienFactory(jeune=a.jeune, campagne=cast.campagne, date=timezone.now() - datetime.timedelta(hours=3))
    recent = EntretienFactory(jeune=a.jeune, campagne=cast.campagne, date=timezone.now() - datetime.timedelta(hours=1))
    lus = {e.pk for e in selections.entretiens_du_tableau(_frais(cast.chef_a), limite=50)}
    assert recent.pk in lus and passe.pk not in lus
    # Same statement, later: the recent one has now started more than two hours ago.
    Entretien.objects.filter(pk=recent.pk).update(date=timezone.now() - datetime.timedelta(hours=2, minutes=1))
    lus = {e.pk for e in selections.entretiens_du_tableau(_frais(cast.chef_a), limite=50)}
    assert recent.pk not in lus and passe.pk not in lus


def test_le_meme_perimetre_reutilise_la_requete_et_un_autre_non(cast):
    peupler(cast, 2)
    construites = []

    def fabrique(user):
        construites.append(user.pk)
        return selections.parcours_suivis(user, role="conseiller").values_list("pk", "jeune_id")

    def lire(user):
        user = _frais(user)
        return compilee(("essai", user.perimetre), lambda: fabrique(user)).lignes()

    premiere = lire(cast.conseiller_a)
    assert lire(cast.conseiller_a) == premiere and construites == [cast.conseiller_a.pk]
    # Another counsellor of the same mission locale: same lycées covered, not the same parcours, not the same key.
    autre = AffectationFactory(role=Role.CONSEILLER_ML, mission_locale=cast.ml_a, etablissement=None).utilisateur
    assert lire(autre) == [] and construites == [cast.conseiller_a.pk, autre.pk]
    # A coverage added is another perimeter: another statement, which sees the new lycée.
    jeune_b = JeuneFactory(etablissement=cast.lycee_b, a_invitation=True)
    assert jeune_b.pk not in {j for _, j in selections.ids_suivis(_frais(autre), role="conseiller")}
    CouvertureFactory(mission_locale=cast.ml_a, etablissement=cast.lycee_b)
    par_lycee = selections.jeunes_par_lycee(_frais(autre), cast.campagne)
    assert "Lycée B" in {ligne["etablissement__nom"] for ligne in par_lycee}


def test_la_requete_compilee_lit_les_donnees_du_moment(cast):
    (a,) = peupler(cast, 1)
    assert [pk for pk, _ in selections.ids_suivis(_frais(cast.conseiller_a), role="conseiller")] == [a.pk]
    (b,) = peupler(cast, 1)
    lus = [pk for pk, _ in selections.ids_suivis(_frais(cast.conseiller_a), role="conseiller")]
    assert sorted(lus) == sorted([a.pk, b.pk])


def test_une_valeur_temoin_absente_ou_ambigue_est_refusee(cast):
    def sans_la_variable(depuis):
        return Entretien.objects.values_list("pk")

    with pytest.raises(ValueError, match="une fois"):
        compilee(("essai-sans", cast.chef_a.pk), sans_la_variable, depuis=SENTINELLE_INSTANT)

    def deux_fois(depuis):
        return Entretien.objects.filter(date__gte=depuis, date__lte=depuis).values_list("pk")

    with pytest.raises(ValueError, match="une fois"):
        compilee(("essai-deux", cast.chef_a.pk), deux_fois, depuis=SENTINELLE_INSTANT)

    requete = compilee(
        ("essai-un", cast.chef_a.pk),
        lambda depuis: Entretien.objects.filter(date__gte=depuis).values_list("pk"),
        depuis=SENTINELLE_INSTANT,
    )
    with pytest.raises(TypeError):
        requete.lignes()


def test_un_filtre_qui_ne_peut_rien_donner_ne_lit_rien(cast, django_assert_num_queries):
    requete = compilee(
        ("essai-vide",),
        lambda depuis: Entretien.objects.filter(pk__in=[], date__gte=depuis).values_list("pk"),
        depuis=SENTINELLE_INSTANT,
    )
    with django_assert_num_queries(0):
        assert requete.lignes(depuis=timezone.now()) == []


def test_les_campagnes_compilees_sont_celles_de_l_orm(cast):
    from avenirpro.campagnes import toutes
    from avenirpro.models import Campagne

    def champs(c):
        return {f.attname: getattr(c, f.attname) for f in Campagne._meta.concrete_fields}

    CampagneFactory(session=cast.campagne.session - 1, code_mef_niveau3="12345678901", duree_mois=5)
    lues = toutes()
    assert [champs(c) for c in lues] == [champs(c) for c in Campagne.objects.order_by("-session")]
    assert all(not c._state.adding and c._state.db == "default" for c in lues)
    # A campaign created after the compilation is read with the rest (rows are never kept).
    nouvelle = CampagneFactory(session=cast.campagne.session + 1)
    assert [c.pk for c in toutes()][0] == nouvelle.pk


def test_mes_entretiens_sont_ceux_ou_je_participe_ou_que_j_ai_ecrits_et_que_je_vois(cast):
    """`participant=True` (the counsellor's screen): the interviews to come that I take part in or wrote, among
    those I may see; not another interview of a young person I see, nor one I take part in but may not see."""
    # Lycée A is covered by the counsellor's mission locale (a young person with an interview is seen there);
    # lycée B is not, and its young person has no parcours with this counsellor.
    a, b = JeuneFactory(etablissement=cast.lycee_a), JeuneFactory(etablissement=cast.lycee_b)
    demain = timezone.now() + datetime.timedelta(days=1)
    participe = EntretienFactory(jeune=a, campagne=cast.campagne, date=demain)
    participe.participants.add(cast.conseiller_a, cast.referent_a)
    ecrit = EntretienFactory(jeune=a, campagne=cast.campagne, date=demain, auteur=cast.conseiller_a)
    EntretienFactory(jeune=a, campagne=cast.campagne, date=demain, auteur=cast.referent_a)  # neither
    ailleurs = EntretienFactory(jeune=b, campagne=cast.campagne, date=demain, auteur=cast.conseiller_a)
    ailleurs.participants.add(cast.conseiller_a)
    attendus = {participe.pk, ecrit.pk}
    for requete in (selections.entretiens_a_venir, selections.entretiens_du_tableau):
        extra = {"limite": 50} if requete is selections.entretiens_du_tableau else {}
        lus = {e.pk for e in requete(_frais(cast.conseiller_a), participant=True, **extra)}
        assert lus == attendus, requete
    assert {e.pk for e in selections.entretiens_a_venir(_frais(cast.conseiller_b), participant=True)} == set()
