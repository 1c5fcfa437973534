"""Oracle of the visibility fact (ADR 0019): the rule «which young people does this user see» used to read the
invitations, interviews and parcours from the core (`avenirpro/acces.py`); it now reads facts kept on the young
person's own rows (`Jeune.a_invitation`, `a_entretien`, `a_parcours`, `eleves.Accompagnant`). The old rule is kept
here, frozen, and both are compared for every user of the demo data and of the bench data set, then again after each
kind of write that changes a stage (invitation created in bulk or deleted, interview created or deleted, enrolment
created, closed, reassigned or deleted)."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F, Q, Subquery

from avenirpro.acces import DansLaListe, Perimetre, peut_modifier_coordonnees
from avenirpro.models import Utilisateur
from eleves.models import Jeune
from entretiens.models import Entretien, Invitation, Reunion
from parcours.models import Inscription

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench"


# --- The old rule, frozen (avenirpro/acces.py before the fact) ------------------------------------------------------


def _ayant_une_ligne(modele, etablissements):
    jeunes = Jeune.objects.filter(etablissement_id__in=sorted(etablissements)).values("pk")
    return modele.objects.filter(DansLaListe(F("jeune_id"), Subquery(jeunes))).order_by().values("jeune_id")


def ancienne_regle(p: Perimetre, prefix: str = "") -> Q:
    ids = []
    if p.referent:
        ids.append(Inscription.objects.filter(referent_id=p.user_id).order_by().values("jeune_id"))
    if p.missions_locales:
        ids.append(Inscription.objects.filter(conseiller_id=p.user_id).order_by().values("jeune_id"))
        if p.couverts:
            ids += [_ayant_une_ligne(modele, p.couverts) for modele in (Invitation, Entretien, Inscription)]
    if p.psy_mlds:
        ids.append(_ayant_une_ligne(Entretien, p.psy_mlds))
    q = Q(**{f"{prefix}pk__in": []})
    if p.chef:
        q |= Q(**{f"{prefix}etablissement_id__in": p.chef})
    if ids:
        q |= Q(**{f"{prefix}pk__in": ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0]})
    return q


def ancien_peut_modifier_coordonnees(user, jeune) -> bool:
    p = Perimetre.pour(user)
    if jeune.etablissement_id in p.chef:
        return True
    if not (p.referent or p.missions_locales):
        return False
    return (
        Inscription.objects.filter(jeune_id=jeune.pk)
        .exclude(statut=Inscription.Statut.SORTIE)
        .filter(Q(referent_id=user.pk) | Q(conseiller_id=user.pk))
        .exists()
    )


# --- Comparison ----------------------------------------------------------------------------------------------------


def comparer(moment: str) -> int:
    """Old and new rule give the same young people (and the same interviews) to every user; returns how many users
    see at least one young person (so that a test comparing empty sets proves nothing is noticed)."""
    voyants = 0
    for user in Utilisateur.objects.order_by("pk"):
        user = Utilisateur.objects.get(pk=user.pk)  # a fresh perimeter (it is cached on the instance)
        p = Perimetre.pour(user)
        ancien = set(Jeune.objects.filter(ancienne_regle(p)).values_list("pk", flat=True))
        nouveau = set(Jeune.objects.visibles_par(user).values_list("pk", flat=True))
        assert ancien == nouveau, (moment, user.email, sorted(ancien ^ nouveau)[:10])
        anciens_entretiens = set(Entretien.objects.filter(ancienne_regle(p, "jeune__")).values_list("pk", flat=True))
        assert anciens_entretiens == set(Entretien.objects.visibles_par(user).values_list("pk", flat=True)), moment
        voyants += bool(nouveau)
    # The write predicate that read the enrolments: compared for every accompanied young person and its users.
    for inscription in Inscription.objects.select_related("jeune", "referent", "conseiller"):
        for user in (inscription.referent, inscription.conseiller):
            if user is not None:
                user = Utilisateur.objects.get(pk=user.pk)
                attendu = ancien_peut_modifier_coordonnees(user, inscription.jeune)
                assert peut_modifier_coordonnees(user, inscription.jeune) == attendu, (moment, user.email)
    return voyants


def ecritures_qui_changent_l_etape() -> None:
    """One write of every kind that changes a stage, each followed by a comparison."""
    from entretiens.services import inviter_jeunes

    invitation = Invitation.objects.select_related("reunion").first()
    assert invitation is not None
    invitation.delete()
    comparer("invitation supprimée")

    reunion = Reunion.objects.select_related("etablissement").first()
    sans_invitation = Jeune.objects.filter(etablissement_id=reunion.etablissement_id, a_invitation=False)[:3]
    reunion.capacite = None
    reunion.save(update_fields=["capacite"])
    inviter_jeunes(reunion=reunion, jeunes=list(sans_invitation))
    comparer("invitations en nombre")

    entretien = Entretien.objects.first()
    jeune = entretien.jeune
    entretien.delete()
    comparer("entretien supprimé")
    Entretien.objects.create(jeune=jeune, campagne_id=entretien.campagne_id, type=entretien.type, date=entretien.date)
    comparer("entretien créé")

    inscription = Inscription.objects.exclude(statut=Inscription.Statut.SORTIE).exclude(referent=None).first()
    inscription.statut = Inscription.Statut.SORTIE
    inscription.date_sortie = inscription.date_entree
    inscription.motif_sortie, inscription.situation_sortie = "abandon", "formation"
    inscription.save(update_fields=["statut", "date_sortie", "motif_sortie", "situation_sortie"])
    comparer("parcours clôturé")
    autre = Inscription.objects.exclude(referent=None).exclude(referent_id=inscription.referent_id).first()
    if autre is not None:
        inscription.referent_id = autre.referent_id
        inscription.save(update_fields=["referent"])
        comparer("référent changé")
    inscription.delete()
    comparer("parcours supprimé")
    # A bulk update sends no signal: the queryset keeps the facts itself.
    ouvertes = Inscription.objects.exclude(statut=Inscription.Statut.SORTIE).exclude(referent=None)
    ouvertes.filter(pk__in=list(ouvertes.values_list("pk", flat=True)[:2])).update(
        statut=Inscription.Statut.SORTIE,
        date_sortie=F("date_entree"),
        motif_sortie="abandon",
        situation_sortie="formation",
    )
    comparer("parcours clôturés en nombre")


def test_oracle_sur_la_demo():
    call_command("seed_demo", "--jeunes", "12", verbosity=0)
    assert Invitation.objects.exists() and Entretien.objects.exists() and Inscription.objects.exists()
    assert comparer("démo") >= 3
    ecritures_qui_changent_l_etape()


@pytest.fixture
def donnees(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("donnees", BENCH / "donnees.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "donnees", module)
    spec.loader.exec_module(module)
    return module


def test_oracle_sur_les_donnees_du_banc(donnees):
    donnees.generer(donnees.tailles(0), journal=lambda _msg: None)
    assert comparer("banc") >= 3
    ecritures_qui_changent_l_etape()
