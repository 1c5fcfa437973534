"""Privilege escalation (issue 13, F1; ADR 0009): every role × every way of giving a role × every target.

The expected answer comes from the table below, written from ADR 0009 and not from `avenirpro.acces`:
- nobody gives a role to themselves (administrator included);
- the administrator gives every role, to anybody else;
- the direction of a lycée gives «chef» (team member) and «référent» in its own lycée — never psy-EN nor MLDS,
  which open the sensitive sections of the interviews (ADR 0003);
- the director of a mission locale gives «conseiller» in its own mission locale;
- nobody else gives anything.
An allowed grant never takes effect by itself: a new address creates its account from the link, an existing account
accepts the role in «Mon compte».

Ways of giving a role: the invitation form (`POST /administration/invitations/nouvelle/`), the service behind it
called directly (`administration.invitations.inviter`), the acceptance of an invitation (a forged invitation row whose
author may not give the role), and the technical admin (the roles inline of an account).
"""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from administration import invitations
from avenirpro.models import Affectation, InvitationCompte, Role
from tests.avenirpro.factories import avec_role
from tests.fiabilite.scorecard import consigner

DONNEURS = [
    "chef_a",
    "chef_b",
    "referent_a",
    "conseiller_a",
    "directeur_a",
    "psy_a",
    "mlds_a",
    "pilotage",
    "admin",
    "sans_role",
]
# (name, role, organisation attribute, extra form fields)
ROLES = [
    ("chef_lycee_a", Role.CHEF, "lycee_a", {"fonction": "cpe"}),
    ("chef_lycee_b", Role.CHEF, "lycee_b", {"fonction": "cpe"}),
    ("referent_lycee_a", Role.REFERENT, "lycee_a", {"date_volontariat": "01/06/2026"}),
    ("referent_lycee_b", Role.REFERENT, "lycee_b", {"date_volontariat": "01/06/2026"}),
    ("psy_en_lycee_a", Role.PSY_EN, "lycee_a", {}),
    ("mlds_lycee_a", Role.MLDS, "lycee_a", {}),
    ("conseiller_ml_a", Role.CONSEILLER_ML, "ml_a", {}),
    ("conseiller_ml_b", Role.CONSEILLER_ML, "ml_b", {}),
    ("pilotage", Role.PILOTAGE, None, {"niveau": "academie", "perimetre": "Lyon"}),
    ("admin", Role.ADMIN, None, {}),
]
# soi: the granter's own address; collegue: an account of lycée A; autre_lycee: an account of lycée B;
# nouvelle: an address without account.
CIBLES = ["soi", "collegue", "autre_lycee", "nouvelle"]

# What each granter may give (ADR 0009), besides the rule «never to oneself».
PERMIS = {
    "admin": {nom for nom, *_ in ROLES},
    "chef_a": {"chef_lycee_a", "referent_lycee_a"},
    "chef_b": {"chef_lycee_b", "referent_lycee_b"},
    "directeur_a": {"conseiller_ml_a"},
}

BILAN = {"combinaisons": 0, "accordees": 0, "refusees": 0, "ecarts": 0, "roles_donnes_sans_acceptation": 0}


@pytest.fixture(scope="module", autouse=True)
def _consigner():
    yield
    if BILAN["combinaisons"]:
        consigner("securite_escalade", dict(BILAN))


def attendu(donneur: str, role: str, cible: str) -> bool:
    return cible != "soi" and role in PERMIS.get(donneur, set())


@pytest.fixture
def monde(cast):
    cast.directeur_a = avec_role(Role.CONSEILLER_ML, mission_locale=cast.ml_a, email="directeur.a@test.fr")
    Affectation.objects.filter(utilisateur=cast.directeur_a).update(responsable=True)
    cast.prof_b = avec_role(Role.REFERENT, etablissement=cast.lycee_b, email="prof.b@test.fr")
    return cast


def _cible(m, donneur, cible):
    """(address, existing account or None)"""
    if cible == "soi":
        u = getattr(m, donneur)
        return u.email, u
    if cible == "collegue":
        return m.referent_a2.email, m.referent_a2
    if cible == "autre_lycee":
        return m.prof_b.email, m.prof_b
    return "nouvelle.adresse@test.fr", None


def _formulaire(m, role, organisation, extra, email):
    donnees = {"email": email, "role": role, **extra}
    if organisation in ("lycee_a", "lycee_b"):
        donnees["etablissement"] = getattr(m, organisation).pk
    elif organisation:
        donnees["mission_locale"] = getattr(m, organisation).pk
    return donnees


def _organisation(m, organisation):
    if organisation in ("lycee_a", "lycee_b"):
        return {"etablissement": getattr(m, organisation)}
    if organisation:
        return {"mission_locale": getattr(m, organisation)}
    return {"etablissement": None, "mission_locale": None}


def _service(m, role, organisation, extra):
    kwargs = _organisation(m, organisation)
    if "fonction" in extra:
        kwargs["fonction"] = extra["fonction"]
    if "date_volontariat" in extra:
        kwargs["date_volontariat"] = datetime.date(2026, 6, 1)
    if "niveau" in extra:
        kwargs.update(niveau=extra["niveau"], perimetre=extra["perimetre"])
    return kwargs


def _accepter(invitation, compte):
    """Complete an allowed grant as its addressee would (the services behind the two pages); returns the role."""
    dernier = Affectation.objects.order_by("-pk").values_list("pk", flat=True).first()
    if compte is None:
        jeton = "jeton-de-test"
        InvitationCompte.objects.filter(pk=invitation.pk).update(jeton_hash=hashlib.sha256(jeton.encode()).hexdigest())
        compte = invitations.accepter(jeton=jeton, mot_de_passe="Un-mot-de-passe-solide-42", prenom="N", nom="A")
        return Affectation.objects.get(utilisateur=compte, pk__gt=dernier)
    invitations.repondre(user=compte, invitation_uuid=invitation.uuid, accepte=True)
    return Affectation.objects.get(utilisateur=compte, pk__gt=dernier)


def _essai(m, donneur, nom, role, organisation, extra, cible, chemin, client):
    """One grant attempt, rolled back; returns the differences with the table."""
    user = getattr(m, donneur)
    email, compte = _cible(m, donneur, cible)
    deja = compte is not None and compte.affectations.filter(role=role, **_organisation(m, organisation)).exists()
    permis = attendu(donneur, nom, cible) and not deja  # a role already held is not given twice
    ecarts = []
    with transaction.atomic():
        sid = transaction.savepoint()
        roles_avant = Affectation.objects.count()
        if chemin == "formulaire":
            r = client.post(reverse("administration:inviter"), _formulaire(m, role, organisation, extra, email))
            assert r.status_code in (200, 302, 403), (donneur, nom, cible, r.status_code)
            accorde = r.status_code == 302
        else:
            try:
                invitations.inviter(
                    par=user,
                    email=email,
                    role=role,
                    lien_base="http://testserver",
                    **_service(m, role, organisation, extra),
                )
                accorde = True
            except ValidationError:
                accorde = False
        invitation = InvitationCompte.objects.filter(email=email.lower(), role=role).first()
        # Nothing takes effect before the addressee accepts.
        if Affectation.objects.count() != roles_avant:
            BILAN["roles_donnes_sans_acceptation"] += 1
            ecarts.append(f"{chemin} : {donneur} → {nom} → {cible} : rôle donné sans acceptation")
        if accorde != permis or (invitation is not None) != permis:
            ecarts.append(f"{chemin} : {donneur} → {nom} → {cible} : {'accordé' if accorde else 'refusé'}")
        elif permis and chemin == "service":
            assert _accepter(invitation, compte).role == role
        BILAN["combinaisons"] += 1
        BILAN["accordees" if accorde else "refusees"] += 1
        transaction.savepoint_rollback(sid)
    return ecarts


@pytest.mark.parametrize("donneur", DONNEURS)
def test_escalade_tous_roles_toutes_cibles(monde, donneur):
    """The service (every target, then the acceptance of what it allows) and the form (the form calls the same
    service)."""
    client = Client()
    client.force_login(getattr(monde, donneur))
    ecarts = []
    for nom, role, organisation, extra in ROLES:
        for cible in CIBLES:
            ecarts += _essai(monde, donneur, nom, role, organisation, extra, cible, "service", client)
        # The form: to oneself (the attack of F1) always; to a colleague where the table allows it (a refused form is
        # re-rendered, which the strict template check makes slow: the service above has shown every refusal).
        for cible in ("soi", "collegue") if attendu(donneur, nom, "collegue") else ("soi",):
            ecarts += _essai(monde, donneur, nom, role, organisation, extra, cible, "formulaire", client)
    BILAN["ecarts"] += len(ecarts)
    assert not ecarts, "\n".join(ecarts)


def test_une_invitation_forgee_ne_donne_pas_le_role(monde, client):
    """A row written around the service (an invitation whose author may not give the role, or addressed to its
    author) is refused when it would become a role: the acceptance checks its author again."""
    m = monde
    forgees = [
        (m.chef_a, "psy.nouveau@test.fr", Role.PSY_EN, m.lycee_a, None),  # a chef may not give psy-EN
        (m.chef_a, m.referent_a2.email, Role.MLDS, m.lycee_a, m.referent_a2),
        (m.chef_b, m.referent_a2.email, Role.REFERENT, m.lycee_a, m.referent_a2),  # not chef_b's lycée
        (m.chef_a, m.chef_a.email, Role.REFERENT, m.lycee_a, m.chef_a),  # to oneself
        (m.referent_a, m.referent_a2.email, Role.CHEF, m.lycee_a, m.referent_a2),  # a référent gives nothing
    ]
    for i, (auteur, email, role, lycee, compte) in enumerate(forgees):
        invitation = InvitationCompte.objects.create(
            email=email,
            role=role,
            etablissement=lycee,
            fonction="cpe" if role == Role.CHEF else "",
            date_volontariat=datetime.date(2026, 6, 1) if role == Role.REFERENT else None,
            cree_par=auteur,
            jeton_hash=hashlib.sha256(f"{i}{email}".encode()).hexdigest(),
            expire_le=invitation_expire(),
        )
        avant = Affectation.objects.count()
        if compte is None:
            with pytest.raises(invitations.InvitationInvalide):
                invitations.accepter(
                    jeton=f"{i}{email}", mot_de_passe="Un-mot-de-passe-solide-42", prenom="P", nom="N"
                )
        else:
            client.force_login(compte)
            client.post(reverse("administration:role_repondre", args=[invitation.uuid]), {"reponse": "accepter"})
        assert Affectation.objects.count() == avant, (auteur, email, role)
        BILAN["combinaisons"] += 1
        BILAN["refusees"] += 1


def invitation_expire():
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=3)


@pytest.mark.parametrize("donneur", DONNEURS)
def test_l_admin_technique_ne_donne_aucun_role(monde, client, donneur):
    """The roles inline of the technical admin is read-only, for every account (the superuser included): a POST
    adding a role to oneself or to someone else creates nothing."""
    m = monde
    client.force_login(getattr(m, donneur))
    for compte in (getattr(m, donneur), m.referent_a2):
        url = reverse("admin:avenirpro_utilisateur_change", args=[compte.pk])
        avant = Affectation.objects.count()
        r = client.post(
            url,
            {
                "email": compte.email,
                "first_name": compte.first_name,
                "last_name": compte.last_name,
                "is_active": "on",
                "is_staff": "on" if compte.is_staff else "",
                "is_superuser": "on" if compte.is_superuser else "",
                "affectations-TOTAL_FORMS": "1",
                "affectations-INITIAL_FORMS": "0",
                "affectations-MIN_NUM_FORMS": "0",
                "affectations-MAX_NUM_FORMS": "1000",
                "affectations-0-role": "psy_en",
                "affectations-0-etablissement": m.lycee_a.pk,
                "affectations-0-date_debut": "2026-01-01",
            },
        )
        assert r.status_code in (200, 302, 403), r.status_code
        assert Affectation.objects.count() == avant, (donneur, compte.email)
        BILAN["combinaisons"] += 1
        BILAN["refusees"] += 1
