"""Steps 3 and 4: inviting to the collective meeting, attendance, reminders, interview slots."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from avenirpro import cache_ecrans, courriels
from avenirpro.models import Affectation, Role, Utilisateur
from avenirpro.notifications import notifier
from entretiens import visibilite
from entretiens.ics import ics_reunion
from entretiens.models import CreneauEntretien, Entretien, Invitation, Reunion

DELAI_RAPPEL = datetime.timedelta(hours=48)


def organisateurs(reunion) -> list[Utilisateur]:
    """Who is told about a meeting in the app: the lycée's direction and the mission locale's counsellors."""
    affectations = Affectation.objects.actives().chefs(reunion.etablissement_id)
    if reunion.mission_locale_id:
        affectations = affectations | Affectation.objects.actives().filter(
            role=Role.CONSEILLER_ML, mission_locale_id=reunion.mission_locale_id
        )
    users = list(Utilisateur.objects.filter(pk__in=affectations.values("utilisateur_id"), is_active=True))
    if reunion.cree_par and reunion.cree_par not in users:
        users.append(reunion.cree_par)
    return users


def places_restantes(reunion) -> int | None:
    if reunion.capacite is None:
        return None
    return max(reunion.capacite - reunion.invitations.count(), 0)


def inviter_jeunes(*, reunion, jeunes, par=None) -> tuple[int, int]:
    """Invite young people of the meeting's lycée; returns (new invitations, e-mails queued).

    Already invited young people are skipped. The capacity is a hard limit: if the new invitations would exceed
    it, nothing is written. Each new invitee with an e-mail address gets the invitation by e-mail, queued after
    commit (`avenirpro.courriels`); the worker stamps `courriel_envoye_le` once the mail server took it.
    """
    with transaction.atomic():
        reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
        jeunes = list(jeunes)
        etrangers = [j for j in jeunes if j.etablissement_id != reunion.etablissement_id]
        if etrangers:
            raise ValidationError("Seuls les jeunes du lycée organisateur peuvent être invités.")
        deja = set(reunion.invitations.values_list("jeune_id", flat=True))
        nouveaux = [j for j in {j.pk: j for j in jeunes}.values() if j.pk not in deja]
        if reunion.capacite is not None and len(deja) + len(nouveaux) > reunion.capacite:
            raise ValidationError(
                f"La capacité de la réunion ({reunion.capacite} places) serait dépassée : "
                f"{max(reunion.capacite - len(deja), 0)} invitation(s) possible(s), {len(nouveaux)} demandée(s)."
            )
        invitations = Invitation.objects.bulk_create([Invitation(reunion=reunion, jeune=j) for j in nouveaux])
        visibilite.rafraichir([j.pk for j in nouveaux])  # bulk write: no model signal (ADR 0019)
        cache_ecrans.perimer([reunion.etablissement_id])  # bulk write: no model signal
        envoyees = 0
        for inv in invitations:
            inv.reunion = reunion
            envoyees += courriels.envoyer(
                "invitation_jeune",
                {"reunion": reunion, "jeune": inv.jeune},
                [inv.jeune.email],
                marque=("entretiens.Invitation", inv.pk, "courriel_envoye_le"),
            )
    return len(invitations), envoyees


def envoyer_invitation_mission_locale(*, reunion) -> bool:
    """E-mail the mission locale the meeting with its ICS (queued after commit); the subject carries «AvenirPro+».
    The worker stamps `mission_locale_invitee_le` once the mail server took it."""
    if not reunion.mission_locale or not reunion.mission_locale.email:
        return False
    return courriels.envoyer(
        "invitation_mission_locale",
        {"reunion": reunion},
        [reunion.mission_locale.email],
        pieces_jointes=[
            ("reunion-avenirpro.ics", ics_reunion(reunion).decode(), "text/calendar; method=REQUEST; charset=utf-8")
        ],
        marque=("entretiens.Reunion", reunion.pk, "mission_locale_invitee_le"),
    )


@transaction.atomic
def modifier_reunion(*, reunion, ancien_debut) -> bool:
    """Save an edited meeting; when its date changes the reminders are due again and the mission locale must get
    the new date. Returns whether the date changed."""
    reunion.full_clean(exclude=["campagne", "cree_par"])
    change = reunion.debut != ancien_debut
    champs = ["debut", "lieu", "capacite", "duree_minutes", "intervenants", "mission_locale"]
    if change:
        reunion.rappel_envoye_le = None
        reunion.mission_locale_invitee_le = None
        champs += ["rappel_envoye_le", "mission_locale_invitee_le"]
    # Only the edited fields: the reminder markers written meanwhile by the sweep must not be overwritten.
    reunion.save(update_fields=champs)
    if change:
        reunion.invitations.update(rappel_envoye_le=None)
    return change


class ConflitDePresences(ValidationError):
    """Rows changed by someone else (or in another tab) since the attendance form was drawn: nothing is saved.
    `invitations` are the rows in conflict, with their current value."""

    def __init__(self, invitations):
        self.invitations = invitations
        noms = ", ".join(f"{i.jeune} (« {i.get_presence_display()} »)" for i in invitations[:6])
        noms += " …" if len(invitations) > 6 else ""
        super().__init__(
            f"Enregistrement refusé : la présence de {len(invitations)} jeune(s) a été modifiée par quelqu'un d'autre "
            f"(ou dans un autre onglet) depuis l'affichage de cette page : {noms}."
            " Rien n'a été enregistré : les valeurs à jour sont affichées, vérifiez-les puis enregistrez de nouveau.",
            code="conflit_saisie",
        )


@transaction.atomic
def enregistrer_presences(*, reunion, presences: dict, origines: dict | None = None) -> int:
    """`presences` maps invitation pk → Invitation.Presence value; returns how many changed.

    `origines` (invitation pk → the value the form showed when drawn) protects saved values from a stale form: a row
    left as it was drawn is not written, and a row changed since by someone else refuses the whole save."""
    valides = set(Invitation.Presence.values)
    inconnues = [v for v in presences.values() if v not in valides]
    if inconnues:
        raise ValidationError(f"Valeur de présence inconnue : {inconnues[0]}")
    origines = origines or {}
    invitations = {
        i.pk: i for i in reunion.invitations.select_for_update().select_related("jeune").filter(pk__in=list(presences))
    }
    modifiees, conflits = [], []
    for pk, valeur in presences.items():
        inv = invitations.get(pk)
        if inv is None:
            continue
        if pk in origines:
            if valeur == origines[pk]:
                continue
            if inv.presence not in (origines[pk], valeur):
                conflits.append(inv)
                continue
        if inv.presence != valeur:
            # Present or absent is known on the day at the earliest; an excuse may come before.
            if not reunion.a_commence and valeur in (Invitation.Presence.PRESENT, Invitation.Presence.ABSENT):
                raise ValidationError(
                    f"La réunion a lieu le {timezone.localtime(reunion.debut):%d/%m/%Y} : la présence se saisit "
                    "à partir de ce jour (seule une absence excusée peut être notée avant)."
                )
            inv.presence = valeur
            modifiees.append(inv)
    if conflits:
        raise ConflitDePresences(conflits)
    Invitation.objects.bulk_update(modifiees, ["presence"])
    cache_ecrans.perimer([reunion.etablissement_id])  # bulk write: no model signal
    return len(modifiees)


def envoyer_rappels_reunions(maintenant=None) -> int:
    """Reminders for the meetings starting within 48 h: e-mail to each invited young person and to the mission
    locale, once (recorded on the rows), plus an in-app notification to the organisers (idempotent by key).

    Returns the number of e-mails queued (after commit); a second call queues nothing.
    """
    maintenant = maintenant or timezone.now()
    total = 0
    ids = list(
        Reunion.objects.filter(debut__gt=maintenant, debut__lte=maintenant + DELAI_RAPPEL).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            reunion = (
                Reunion.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("etablissement", "mission_locale", "cree_par")
                .filter(pk=pk)
                .first()
            )
            if reunion is None:
                continue
            invitations = list(
                reunion.invitations.select_related("jeune")
                .filter(rappel_envoye_le__isnull=True, jeune__email__gt="")
                .exclude(presence__in=[Invitation.Presence.EXCUSE])
            )
            # The reminders are claimed here, in the sweep's transaction (a second sweep finds them stamped), and
            # leave after its commit through the task queue, which retries while the mail server is down.
            for inv in invitations:
                total += courriels.envoyer("rappel_jeune", {"reunion": reunion, "jeune": inv.jeune}, [inv.jeune.email])
            Invitation.objects.filter(pk__in=[inv.pk for inv in invitations]).update(rappel_envoye_le=maintenant)
            if reunion.mission_locale and reunion.mission_locale.email and reunion.rappel_envoye_le is None:
                total += courriels.envoyer(
                    "rappel_mission_locale",
                    {"reunion": reunion, "nb_invites": reunion.invitations.count()},
                    [reunion.mission_locale.email],
                )
                reunion.rappel_envoye_le = maintenant
                reunion.save(update_fields=["rappel_envoye_le"])
            debut = timezone.localtime(reunion.debut)
            nb = reunion.invitations.count()
            notifier(
                destinataires=organisateurs(reunion),
                cle=f"rappel-reunion-{reunion.uuid}",
                sujet=f"Réunion d'information collective le {debut:%d/%m/%Y} à {debut:%H:%M}",
                message=f"{reunion.lieu} – {reunion.etablissement.nom} – {nb} jeune(s) invité(s).",
                lien=reverse("entretiens:reunion_detail", kwargs={"uuid": reunion.uuid}),
            )
    return total


@transaction.atomic
def reserver_creneau(*, creneau, jeune, type_entretien, par) -> Entretien:
    """Book a free slot for a young person of its lycée: a planned interview with the proposer and the booker."""
    creneau = CreneauEntretien.objects.select_for_update().get(pk=creneau.pk)
    if creneau.entretien_id is not None:
        raise ValidationError("Ce créneau est déjà réservé.")
    if jeune.etablissement_id != creneau.etablissement_id:
        raise ValidationError("Le jeune n'est pas élève du lycée de ce créneau.")
    from avenirpro.models import Campagne

    campagne = Campagne.courante()
    entretien = Entretien(
        jeune=jeune,
        campagne=campagne,
        type=type_entretien,
        date=creneau.debut,
        lieu=creneau.lieu,
        statut=Entretien.Statut.PLANIFIE,
        auteur=par,
    )
    entretien.full_clean()
    entretien.save()
    entretien.participants.set({u for u in (creneau.propose_par, par) if u is not None})
    creneau.entretien = entretien
    creneau.save(update_fields=["entretien"])
    return entretien


def notifier_entree_confirmee(entretien, par) -> int:
    """The chef enrols: tell the lycée's direction that an interview confirmed the entry."""
    chefs = Utilisateur.objects.chefs_de(entretien.jeune.etablissement_id)
    return notifier(
        destinataires=[u for u in chefs if u != par],
        cle=f"entree-confirmee-{entretien.uuid}",
        sujet=f"Entrée confirmée : {entretien.jeune}",
        message="L'entretien confirme l'entrée dans AvenirPro+. Vous pouvez inscrire le jeune.",
        lien=reverse("entretiens:entretien_detail", kwargs={"uuid": entretien.uuid}),
        jeune=entretien.jeune_id,
    )


def enregistrer_entretien(*, entretien: Entretien, par, participants=None) -> Entretien:
    """Save an interview sheet, new or changed (the caller checked `peut_saisir_entretien`). The rules are here, not
    in the view: a new interview needs an open campaign; the model's rules (`Entretien.clean`: no decision on a
    planned interview, a «réalisé» interview not dated in the future, known barriers only); the participants, when
    given, replace the former ones in the same transaction; an «entrée confirmée» tells the lycée's direction.
    Raises ValidationError (nothing saved)."""
    if entretien.campagne_id is None:
        raise ValidationError("Aucune campagne n'est ouverte.")
    entretien.clean()
    with transaction.atomic():
        entretien.save()
        if participants is not None:
            entretien.participants.set(participants)
    if entretien.decision == Entretien.Decision.ENTREE_CONFIRMEE:
        notifier_entree_confirmee(entretien, par)
    return entretien
