import datetime

import factory
from factory.django import DjangoModelFactory

from avenirpro.models import Affectation, Campagne, Couverture, Etablissement, MissionLocale, Role, Utilisateur
from avenirpro.validators import lettre_cle_uai


def _uai(n):
    chiffres = f"{990000 + n:07d}"
    return chiffres + lettre_cle_uai(chiffres)


class UtilisateurFactory(DjangoModelFactory):
    class Meta:
        model = Utilisateur
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@test.avenirpro.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("Mot-de-passe-test-1")


class EtablissementFactory(DjangoModelFactory):
    class Meta:
        model = Etablissement

    uai = factory.Sequence(_uai)
    nom = factory.Sequence(lambda n: f"Lycée professionnel n°{n}")
    commune = factory.Faker("city", locale="fr_FR")
    departement = "69"
    academie = "Lyon"
    bassin = "Lyon Est"
    zone_vacances = "A"


class MissionLocaleFactory(DjangoModelFactory):
    class Meta:
        model = MissionLocale

    nom = factory.Sequence(lambda n: f"Mission locale n°{n}")
    email = factory.Sequence(lambda n: f"ml{n}@ml.example")
    departement = "69"


class CouvertureFactory(DjangoModelFactory):
    class Meta:
        model = Couverture

    mission_locale = factory.SubFactory(MissionLocaleFactory)
    etablissement = factory.SubFactory(EtablissementFactory)


class AffectationFactory(DjangoModelFactory):
    class Meta:
        model = Affectation

    utilisateur = factory.SubFactory(UtilisateurFactory)
    role = Role.CHEF
    etablissement = factory.SubFactory(EtablissementFactory)
    date_volontariat = factory.LazyAttribute(lambda o: datetime.date(2026, 6, 1) if o.role == Role.REFERENT else None)


class CampagneFactory(DjangoModelFactory):
    class Meta:
        model = Campagne
        django_get_or_create = ["session"]

    session = 2026
    nom = factory.LazyAttribute(lambda o: f"Session {o.session} – rentrée {o.session}")
    date_rentree = factory.LazyAttribute(lambda o: datetime.date(o.session, 9, 1))
    date_entree_min = factory.LazyAttribute(lambda o: datetime.date(o.session, 9, 1))


def avec_role(role, *, etablissement=None, mission_locale=None, mfa=None, **kwargs):
    """A user holding one role in one organisation.

    Administrators and pilotage must have double authentication (avenirpro.middleware.MfaObligatoireMiddleware):
    they get a TOTP authenticator unless `mfa=False`."""
    user = UtilisateurFactory(**kwargs)
    extra = {}
    if role == Role.PILOTAGE:
        extra = {"niveau": "academie", "perimetre": "Lyon"}
    AffectationFactory(
        utilisateur=user, role=role, etablissement=etablissement, mission_locale=mission_locale, **extra
    )
    if mfa if mfa is not None else role in (Role.ADMIN, Role.PILOTAGE):
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
    return user
