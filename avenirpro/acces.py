"""Who may see and do what: decided here and nowhere else (roles and perimeters of the scheme).

Reads go through visibility filters (`q_jeunes_visibles` and the `visibles_par(user)` QuerySet methods built on it);
writes through named predicates `peut_<verbe>(user, objet)`. A view fetches a record through the visibility
filter, so that a record outside the user's scope answers 404 and does not reveal that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, F, Func, Q, Subquery

from avenirpro.models import Affectation, Couverture, Role


@dataclass(frozen=True)
class Perimetre:
    """The organisations a user reaches through their active roles, computed once per request."""

    user_id: int | None = None
    chef: frozenset[int] = frozenset()
    referent: frozenset[int] = frozenset()
    psy_mlds: frozenset[int] = frozenset()
    missions_locales: frozenset[int] = frozenset()
    missions_locales_responsable: frozenset[int] = frozenset()
    couverts: frozenset[int] = frozenset()
    pilotage: tuple[tuple[str, str], ...] = ()
    admin: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)
    # The visibility filters built for this perimeter, by prefix: lazy SQL (no data), reused by every list of the
    # request instead of being rebuilt for each query.
    filtres: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def pour(cls, user) -> Perimetre:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls()
        chef, referent, psy, ml, ml_resp, pilotage, roles = set(), set(), set(), set(), set(), [], set()
        admin = False
        for a in Affectation.objects.actives().filter(utilisateur=user):
            roles.add(a.role)
            if a.role == Role.CHEF:
                chef.add(a.etablissement_id)
            elif a.role == Role.REFERENT:
                referent.add(a.etablissement_id)
            elif a.role in (Role.PSY_EN, Role.MLDS):
                psy.add(a.etablissement_id)
            elif a.role == Role.CONSEILLER_ML:
                ml.add(a.mission_locale_id)
                if a.responsable:
                    ml_resp.add(a.mission_locale_id)
            elif a.role == Role.PILOTAGE:
                pilotage.append((a.niveau, a.perimetre))
            elif a.role == Role.ADMIN:
                admin = True
        couverts = set()
        if ml:
            couverts = set(
                Couverture.objects.actives()
                .filter(mission_locale_id__in=ml)
                .values_list("etablissement_id", flat=True)
            )
        return cls(
            user_id=user.pk,
            chef=frozenset(chef),
            referent=frozenset(referent),
            psy_mlds=frozenset(psy),
            missions_locales=frozenset(ml),
            missions_locales_responsable=frozenset(ml_resp),
            couverts=frozenset(couverts),
            pilotage=tuple(pilotage),
            admin=admin,
            roles=frozenset(roles),
        )


def q_partage_en_reseau(user, *, avec_structures: bool = False) -> Q | None:
    """Filter on rows of a lycée (`etablissement`) shared within a network: those of the user's lycées and of the
    lycées of the same network or bassin — the local offer and the local events. `avec_structures`: also the rows of
    PSAD structures (`structure`) of those bassins, which have no lycée. None: the user sees none."""
    from avenirpro.models import Etablissement

    p = perimetre(user)
    ids = set(p.chef) | set(p.referent) | set(p.psy_mlds) | set(p.couverts)
    if not ids:
        return None
    lycees = Etablissement.objects.filter(pk__in=ids)
    reseaux = [r for r in lycees.values_list("reseau", flat=True) if r]
    bassins = [b for b in lycees.values_list("bassin", flat=True) if b]
    q = Q(etablissement_id__in=ids) | Q(etablissement__reseau__in=reseaux) | Q(etablissement__bassin__in=bassins)
    if avec_structures:
        q |= Q(etablissement__isnull=True, structure__bassin__in=bassins)
    return q


def perimetre(user) -> Perimetre:
    if not getattr(user, "is_authenticated", False):
        return Perimetre()
    return user.perimetre


class DansLaListe(Func):
    """`colonne = ANY(ARRAY(sous-requête))`, for a small id set: the planner cannot guess the size of such an array
    and reads the column's index once per element, where `colonne IN (sous-requête)` or a join makes it hash (or
    scan in parallel) the whole table."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        # Other databases (the SQLite demo): a plain semi-join, same meaning.
        return super().as_sql(compiler, connection, arg_joiner=" IN ", template="(%(expressions)s)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY(", template="(%(expressions)s)))", **extra
        )


def _ayant_une_ligne(modele, etablissements):
    """Ids of the young people of these lycées having at least one row of `modele` (by its indexed jeune_id)."""
    from eleves.models import Jeune

    jeunes = Jeune.objects.filter(etablissement_id__in=sorted(etablissements)).order_by().values("pk")
    return modele.objects.filter(DansLaListe(F("jeune_id"), Subquery(jeunes))).order_by().values("jeune_id")


def q_jeunes_visibles(user, prefix: str = "") -> Q:
    """Filter on Jeune (or on a model reaching it through `prefix`, e.g. "jeune__") for what `user` may read.

    - chef d'établissement: every young person of their lycées, all stages;
    - référent de parcours: the young people they are référent of;
    - conseiller mission locale: young people of covered lycées from the invitation to the meeting on,
      and any parcours they are the counsellor of;
    - psy-EN and coordonnateur MLDS: young people of the lycées they serve, from the interview on;
    - pilotage and administrateur: nobody (figures only, organisations only).
    """
    p = perimetre(user)
    if prefix not in p.filtres:
        p.filtres[prefix] = _q_jeunes_visibles(p, prefix)
    return p.filtres[prefix]


def _q_jeunes_visibles(p: Perimetre, prefix: str) -> Q:
    from entretiens.models import Entretien, Invitation
    from parcours.models import Inscription

    # One uncorrelated `jeune IN (id set)`, the id set being a UNION of small indexed reads (the user's own
    # parcours, the young people of the covered / served lycées having an invitation, an interview or a parcours),
    # rather than an OR of correlated EXISTS: PostgreSQL cannot use an index for such an OR and turns each EXISTS
    # into a hashed subplan over the WHOLE invitation, interview and parcours tables (44 ms, then 84 ms with a bad
    # join order, for a counsellor on the national bench). The meaning is unchanged: `lycée in S and EXISTS(row of
    # this young person)` ≡ `young person in {young people of S having a row}`. The chef's condition stays a plain
    # column filter (a whole lycée: no id set needed).
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


def q_reunions_visibles(user) -> Q:
    """Meetings: the organising lycée's direction and the counsellors of the mission locales covering it."""
    p = perimetre(user)
    q = Q(pk__in=[])
    if p.chef:
        q |= Q(etablissement_id__in=p.chef)
    if p.couverts:
        q |= Q(etablissement_id__in=p.couverts)
    return q


def etablissements_geres(user):
    """Lycées whose direction this user belongs to."""
    from avenirpro.models import Etablissement

    return Etablissement.objects.filter(pk__in=perimetre(user).chef)


# --- Named rules for writes. Each says why. -------------------------------------------------------------------


def est_chef(user, etablissement_id: int) -> bool:
    """The direction team of a lycée (chef and delegates) runs the scheme there."""
    return etablissement_id in perimetre(user).chef


def peut_gerer_reperage(user, etablissement) -> bool:
    """Imports, identification and contacts belong to the chef d'établissement (steps 1 and 2 of the scheme)."""
    return est_chef(user, etablissement.pk)


def peut_modifier_jeune(user, jeune) -> bool:
    """Identity and contact details come from the lycée's systems: the direction corrects them."""
    return est_chef(user, jeune.etablissement_id)


def peut_modifier_coordonnees(user, jeune) -> bool:
    """Phone, e-mail, address and legal guardian (ADR 0017): the direction, and the référent and the counsellor of
    a parcours of the young person still open — they are the ones who call and learn of a new number. Identity and
    grant stay with the direction (peut_modifier_jeune)."""
    if est_chef(user, jeune.etablissement_id):
        return True
    uid = getattr(user, "pk", None)
    p = perimetre(user)
    if uid is None or not (p.referent or p.missions_locales):
        return False
    from parcours.models import Inscription

    return (
        Inscription.objects.filter(jeune_id=jeune.pk)
        .exclude(statut=Inscription.Statut.SORTIE)
        .filter(Q(referent_id=uid) | Q(conseiller_id=uid))
        .exists()
    )


def peut_contacter(user, jeune) -> bool:
    """Every failed candidate is contacted by the chef d'établissement (step 2, rule R9 in docs/regles.md)."""
    return est_chef(user, jeune.etablissement_id)


def peut_organiser_reunion(user, etablissement) -> bool:
    """The chef organises the meeting with the mission locale; a covering counsellor may too."""
    p = perimetre(user)
    return etablissement.pk in p.chef or etablissement.pk in p.couverts


def peut_saisir_entretien(user, jeune) -> bool:
    """Interviews are held by the lycée and the mission locale, with psy-EN / MLDS when possible."""
    p = perimetre(user)
    if jeune.etablissement_id in p.chef:
        return True
    if not (p.couverts or p.psy_mlds or p.referent):
        return False
    from eleves.models import Jeune

    return Jeune.objects.visibles_par(user).filter(pk=jeune.pk).exists()


def peut_inscrire(user, jeune) -> bool:
    """Enrolment and the choice of the référent are the chef's decision (step 5 of the scheme)."""
    return est_chef(user, jeune.etablissement_id)


def peut_modifier_parcours(user, inscription) -> bool:
    """The référent and the counsellor build the parcours together; the direction may always step in."""
    if inscription.statut == "sortie":
        return est_chef(user, inscription.etablissement_id)
    uid = getattr(user, "pk", None)
    return est_chef(user, inscription.etablissement_id) or (
        uid is not None and uid in (inscription.referent_id, inscription.conseiller_id)
    )


def peut_rouvrir(user, inscription) -> bool:
    """Reopening a closed parcours is the chef's decision, with a reason (ADR 0012)."""
    return inscription.statut == "sortie" and est_chef(user, inscription.etablissement_id)


def q_parcours_modifiables(user) -> Q:
    """Filter on Inscription: the parcours whose attendance `user` may record, the same as `peut_modifier_parcours`
    (the direction of the lycée; the référent and the counsellor of a parcours that is not closed). Combine it with
    `visibles_par(user)`."""
    p = perimetre(user)
    uid = getattr(user, "pk", None)
    q = Q(pk__in=[])
    if p.chef:
        q |= Q(etablissement_id__in=p.chef)
    if uid is not None and (p.referent or p.missions_locales):
        q |= (Q(referent_id=uid) | Q(conseiller_id=uid)) & ~Q(statut="sortie")
    return q


def peut_faire_l_appel(user) -> bool:
    """The register is taken by those who record attendance: the direction, the référents, the counsellors."""
    p = perimetre(user)
    return bool(p.chef or p.referent or p.missions_locales)


def peut_cloturer(user, inscription) -> bool:
    """The exit date and reasons are recorded by the chef, on the référent's bilan."""
    uid = getattr(user, "pk", None)
    return est_chef(user, inscription.etablissement_id) or (uid is not None and uid == inscription.referent_id)


def peut_voir_sections_sensibles(user, jeune) -> bool:
    """Health, family, justice and finances (ADR 0003): read by those who hold the social interview — a counsellor
    of a mission locale that covers the young person's lycée, the psy-EN and the MLDS coordinator serving that
    lycée — and only for a young person they can see. Never the direction, the référent (teaching side),
    pilotage or the administrator, even when they wrote the interview: their other role does not carry the right."""
    p = perimetre(user)
    if jeune.etablissement_id not in (p.couverts | p.psy_mlds):
        return False
    from eleves.models import Jeune

    return Jeune.objects.visibles_par(user).filter(pk=jeune.pk).exists()


def peut_administrer(user) -> bool:
    """Organisations, coverage, every account and the access log are managed by administrators only."""
    return perimetre(user).admin


def missions_locales_dirigees(user):
    """Missions locales this user directs (Affectation.responsable): they invite its counsellors."""
    from avenirpro.models import MissionLocale

    return MissionLocale.objects.filter(pk__in=perimetre(user).missions_locales_responsable)


# Roles of a lycée's staff (the team screens of its direction list and remove them).
ROLES_DU_LYCEE = (Role.CHEF, Role.REFERENT, Role.PSY_EN, Role.MLDS)
# Roles whose holder reads the sensitive sections of the interviews (ADR 0003): the psy-EN and the MLDS coordinator
# of the lycées they serve, the counsellor of the lycées their mission locale covers.
ROLES_SENSIBLES = (Role.PSY_EN, Role.MLDS, Role.CONSEILLER_ML)
# Of those, the ones only an administrator gives (ADR 0009): the lycée's direction, who would give them, is precisely
# the role the sensitive sections are kept from. A counsellor's reach comes from the coverage table, which only the
# administrator sets: the director of a mission locale gives nothing the administrator did not open to it.
ROLES_RESERVES_ADMIN = (Role.PSY_EN, Role.MLDS, Role.PILOTAGE, Role.ADMIN)


def roles_attribuables(user) -> list[str]:
    """Roles `user` may give to somebody else (ADR 0009), for the invitation form's choices."""
    p = perimetre(user)
    if p.admin:
        return list(Role.values)
    roles = []
    if p.chef:
        roles += [Role.CHEF, Role.REFERENT]
    if p.missions_locales_responsable:
        roles.append(Role.CONSEILLER_ML)
    return roles


def peut_inviter(user) -> bool:
    """A chef invites staff of their lycée; a mission locale director invites counsellors; the administrator anyone."""
    return bool(roles_attribuables(user))


def refus_attribution(
    par,
    *,
    role: str,
    etablissement_id: int | None = None,
    mission_locale_id: int | None = None,
    responsable: bool = False,
    cible=None,
    email: str = "",
) -> str | None:
    """Every grant of a role, whatever its path (invitation of a new address, of an existing account, its acceptance),
    is checked here against the granter (ADR 0009). None when `par` may give `role` in this organisation to `cible`
    (an account) or `email` (an address); otherwise why not, in French.

    - nobody gives a role to themselves, not even an administrator;
    - the administrator gives every role;
    - the direction of a lycée gives «chef» (team member) and «référent» in that lycée — never psy-EN nor MLDS, which
      open the sensitive sections that ADR 0003 keeps from the direction;
    - the director of a mission locale gives «conseiller» (not director) in that mission locale.
    """
    if not getattr(par, "is_authenticated", False) or not par.is_active:
        return "Vous ne pouvez pas donner de rôle."
    adresse = (email or getattr(cible, "email", "") or "").strip().lower()
    if (cible is not None and cible.pk == par.pk) or (adresse and adresse == (par.email or "").strip().lower()):
        return "Personne ne peut se donner un rôle à soi-même : demandez-le à un administrateur."
    p = perimetre(par)
    if p.admin:
        return None
    if role in ROLES_RESERVES_ADMIN:
        if role in ROLES_SENSIBLES:
            return "Seul un administrateur donne ce rôle : il ouvre les sections sensibles des entretiens."
        return "Seul un administrateur donne ce rôle."
    if role in (Role.CHEF, Role.REFERENT) and etablissement_id is not None and etablissement_id in p.chef:
        return None
    if (
        role == Role.CONSEILLER_ML
        and not responsable
        and mission_locale_id is not None
        and mission_locale_id in p.missions_locales_responsable
    ):
        return None
    return "Vous ne pouvez pas donner ce rôle dans cette organisation."


def peut_attribuer(par, **kwargs) -> bool:
    return refus_attribution(par, **kwargs) is None


def peut_gerer_affectation(user, affectation) -> bool:
    """Who may remove this role (giving one is `refus_attribution`'s): the administrator; the direction of the lycée
    for the lycée's roles; the director of the mission locale for its counsellors."""
    p = perimetre(user)
    if p.admin:
        return True
    if affectation.role in ROLES_DU_LYCEE:
        return affectation.etablissement_id in p.chef
    if affectation.role == Role.CONSEILLER_ML:
        return affectation.mission_locale_id in p.missions_locales_responsable
    return False


def q_affectations_gerees(user) -> Q:
    """Filter on Affectation: the roles `user` may see in the team screens and remove."""
    p = perimetre(user)
    if p.admin:
        return Q()
    q = Q(pk__in=[])
    if p.chef:
        q |= Q(role__in=ROLES_DU_LYCEE, etablissement_id__in=p.chef)
    if p.missions_locales_responsable:
        q |= Q(role=Role.CONSEILLER_ML, mission_locale_id__in=p.missions_locales_responsable)
    return q


def peut_modifier_compte(user, compte) -> bool:
    """Activating or deactivating an account, for every organisation at once: the administrator only.
    A chef or a director removes the roles of their organisation instead."""
    return perimetre(user).admin and getattr(user, "pk", None) != compte.pk


def peut_consulter_annuaire(user) -> bool:
    """The partners' directory (missions locales, PSAD structures: organisations, no young person) is read by those
    who build the parcours with them — the direction, référents, counsellors, psy-EN and MLDS — and the
    administrator who keeps it."""
    p = perimetre(user)
    return bool(p.admin or p.chef or p.referent or p.missions_locales or p.psy_mlds)


def peut_voir_journal(user) -> bool:
    """The access log (who read or exported which file) is for administrators (data-protection requirement)."""
    return perimetre(user).admin


def q_exports_visibles(user) -> Q:
    """Filter on ExportFichier: a background export belongs to whoever asked for it, and to nobody else — not even an
    administrator. The file holds what its requester could see, which nobody else may read (ADR 0008)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    return Q(proprietaire_id=user.pk)
