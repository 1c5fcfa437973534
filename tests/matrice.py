"""The access matrix: every URL of the project × every member of the cast (docs/regles.md, docs/scorecard.md).

Each app lists its URLs in `tests/<app>/matrice.py` as `CAS = [Cas(...), ...]`; `tests/avenirpro/test_matrice.py`
runs every case for every member of the cast and a meta-test fails when a URL of the project is in no case.

`autorises` names the cast members (attributes of the scenario) who may use the URL; every other logged-in member
must get 404 when the URL names a record (`objet=True`), 403 or 404 otherwise; anonymous visitors are sent to login.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import timezone

MEMBRES = [
    "chef_a",
    "chef_b",
    "referent_a",
    "referent_a2",
    "conseiller_a",
    "conseiller_b",
    "psy_a",
    "mlds_a",
    "pilotage",
    "admin",
    "sans_role",
]


@dataclass
class Cas:
    url: str  # URL name, e.g. "eleves:detail"
    kwargs: Callable[[SimpleNamespace], dict] = lambda s: {}
    methode: str = "get"  # "get" or "post"
    donnees: Callable[[SimpleNamespace], dict] = lambda s: {}
    type: str = ""  # jeune, contact, entretien, inscription, action, pfmp, presence, note, bilan, export, pdf…
    action: str = "read"  # read, create, update, delete, export
    autorises: set[str] = field(default_factory=set)
    objet: bool = True  # the URL names a record: outsiders get 404
    succes: tuple[int, ...] = (200, 302)
    # A `login_not_required` URL whose secret token is the credential (the ICS feed): anonymous visitors succeed too.
    public: bool = False


def construire_scenario(cast) -> SimpleNamespace:
    """The cast plus one young person at every stage in lycée A (followed by referent_a and conseiller_a,
    interviewed with psy_a) and the same in lycée B, with one record of every kind."""
    from entretiens.models import Entretien
    from parcours.models import PFMP, Action, Bilan, PointSuivi, Presence
    from tests.eleves.factories import ContactFactory, JeuneFactory, ReperageFactory
    from tests.entretiens.factories import EntretienFactory, InvitationFactory, ReunionFactory
    from tests.parcours.factories import InscriptionFactory

    s = cast
    for suffixe, lycee, referent, conseiller, ml in (
        ("a", cast.lycee_a, cast.referent_a, cast.conseiller_a, cast.ml_a),
        ("b", cast.lycee_b, None, cast.conseiller_b, cast.ml_b),
    ):
        jeune = JeuneFactory(etablissement=lycee, nom=f"JEUNE-{suffixe.upper()}")
        reperage = ReperageFactory(jeune=jeune, campagne=cast.campagne)
        contact = ContactFactory(jeune=jeune, campagne=cast.campagne)
        reunion = ReunionFactory(etablissement=lycee, campagne=cast.campagne, mission_locale=ml)
        invitation = InvitationFactory(reunion=reunion, jeune=jeune)
        entretien = EntretienFactory(jeune=jeune, campagne=cast.campagne, type=Entretien.Type.ENTREE)
        inscription = InscriptionFactory(
            jeune=jeune, campagne=cast.campagne, referent=referent, conseiller=conseiller, statut="en_cours"
        )
        action = Action.objects.create(
            inscription=inscription,
            type="tre",
            intitule="Atelier CV",
            date_debut=datetime.date(2026, 9, 21),
            date_fin=datetime.date(2026, 10, 16),
        )
        pfmp = PFMP.objects.create(
            inscription=inscription,
            entreprise="Boulangerie du coin",
            siret="73282932000074",
            date_debut=datetime.date(2026, 11, 2),
            date_fin=datetime.date(2026, 11, 13),
        )
        presence = Presence.objects.create(
            inscription=inscription, date=datetime.date(2026, 9, 21), periode="matin", statut="present"
        )
        point = PointSuivi.objects.create(
            inscription=inscription, date=timezone.localdate(), contenu="Point hebdomadaire", auteur=referent
        )
        bilan = Bilan.objects.create(inscription=inscription, observations="RAS")
        for nom, valeur in {
            "jeune": jeune,
            "reperage": reperage,
            "contact": contact,
            "reunion": reunion,
            "invitation": invitation,
            "entretien": entretien,
            "inscription": inscription,
            "action": action,
            "pfmp": pfmp,
            "presence": presence,
            "point": point,
            "bilan": bilan,
        }.items():
            setattr(s, f"{nom}_{suffixe}", valeur)
    return s
