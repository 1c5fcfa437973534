"""Dashboards: chef d'établissement, référent, counsellor, pilotage (figures only)."""

from __future__ import annotations

import datetime
import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from avenirpro import cache_ecrans
from avenirpro.acces import perimetre
from avenirpro.exports import reponse_csv, reponse_xlsx
from avenirpro.journal import journaliser
from avenirpro.models import Affectation, Campagne, Etablissement, JournalAcces
from avenirpro.tableaux import selections
from avenirpro.tableaux.graphiques import barres, nombre
from avenirpro.tableaux.statistiques import (
    DIMENSION_PAR_NIVEAU,
    DIMENSIONS,
    JOURS_FIN_PROCHE,
    chiffres,
    portee_pilotage,
    total,
)
from eleves.models import Reperage
from parcours.models import Inscription, Presence

SEUIL_SECRET = 5
MASQUE = "< 5"
PAR_PAGE = 50


def lien(nom: str, **params) -> str | None:
    """URL of a named list with its filters as query string; None while that list does not exist yet."""
    try:
        url = reverse(nom)
    except NoReverseMatch:
        return None
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def lien_objet(nom: str, **kwargs) -> str | None:
    try:
        return reverse(nom, kwargs=kwargs)
    except NoReverseMatch:
        return None


# --- Chef d'établissement ---------------------------------------------------------------------------------


def entonnoir(c: dict) -> list[tuple[str, int, str | None]]:
    return [
        ("Identifiés", c["identifies"], lien("eleves:liste")),
        ("Contactés", c["contactes"], lien("eleves:liste", etape="contactes")),
        ("Invités à la réunion", c["invites"], lien("eleves:liste", etape="invites")),
        ("Présents à la réunion", c["presents"], lien("eleves:liste", etape="presents")),
        ("Reçus en entretien", c["entretiens"], lien("eleves:liste", etape="entretien")),
        ("Inscrits APRO PLUS 3", c["inscrits_apro_plus_3"], lien("parcours:liste", mef=Inscription.Mef.NIVEAU3)),
        ("Inscrits APRO PLUS 4", c["inscrits_apro_plus_4"], lien("parcours:liste", mef=Inscription.Mef.NIVEAU4)),
        ("En cours", c["en_cours"], lien("parcours:liste", statut=Inscription.Statut.EN_COURS)),
        ("Sortis", c["sortis"], lien("parcours:liste", statut=Inscription.Statut.SORTIE)),
    ]


def alertes(c: dict) -> list[dict]:
    return [
        {
            "libelle": f"Fin de parcours dans {JOURS_FIN_PROCHE} jours ou moins",
            "valeur": c["fin_proche"],
            "lien": lien("parcours:liste", alerte="fin_proche"),
            "niveau": "warning",
        },
        {
            "libelle": "Parcours à clôturer",
            "valeur": c["a_cloturer"],
            "lien": lien("parcours:liste", statut=Inscription.Statut.A_CLOTURER),
            "niveau": "error",
        },
        {
            "libelle": "Dépassements du plafond PFMP signalés",
            "valeur": c["pfmp_signales"],
            "lien": lien("parcours:liste", alerte="pfmp"),
            "niveau": "error",
        },
        {
            "libelle": "Inscrits sans référent de parcours",
            "valeur": c["sans_referent"],
            "lien": lien("parcours:liste", alerte="sans_referent"),
            "niveau": "warning",
        },
        {
            "libelle": "Candidats ajournés ou absents en attente de la proposition de réinscription",
            "valeur": c["reinscription_a_proposer"],
            "lien": lien("eleves:liste", reinscription="a_proposer"),
            "niveau": "warning",
        },
        {
            "libelle": "Jeunes pas encore contactés",
            "valeur": c["non_contactes"],
            "lien": lien("eleves:liste", statut_contact=Reperage.StatutContact.A_CONTACTER),
            "niveau": "info",
        },
    ]


def graphiques_chef(c: dict, masquer=None):
    return {
        "entonnoir": barres("graphique-entonnoir", "Du repérage à la sortie", entonnoir(c), masquer),
        "typologies": barres(
            "graphique-typologies",
            "Jeunes repérés par typologie",
            [
                (t.label, c[f"typologie_{t.value}"], lien("eleves:liste", typologie=t.value))
                for t in Reperage.Typologie
            ],
            masquer,
        ),
        "sorties": barres(
            "graphique-sorties",
            "Sorties par situation",
            [
                (s.label, c[f"situation_{s.value}"], lien("parcours:liste", situation_sortie=s.value))
                for s in Inscription.SituationSortie
            ],
            masquer,
        ),
    }


def _contenu_chef(request, p) -> str:
    campagne = Campagne.courante()
    lycees = list(Etablissement.objects.filter(pk__in=p.chef).values_list("nom", flat=True))
    c = chiffres(campagne, {"pk__in": sorted(p.chef)}).get(None) if campagne else None
    contexte = {"campagne": campagne, "lycees": lycees, "c": c}
    if c is not None:
        contexte.update(
            alertes=alertes(c),
            graphiques=graphiques_chef(c),
            mef=[
                ("APRO PLUS 3", c["inscrits_apro_plus_3"], lien("parcours:liste", mef=Inscription.Mef.NIVEAU3)),
                ("APRO PLUS 4", c["inscrits_apro_plus_4"], lien("parcours:liste", mef=Inscription.Mef.NIVEAU4)),
            ],
            lien_absences=lien("parcours:liste", alerte="absences"),
            lien_sortis=lien("parcours:liste", statut=Inscription.Statut.SORTIE),
        )
    return render_to_string("tableaux/_chef.html", contexte, request=request)


@require_GET
def chef(request):
    p = perimetre(request.user)
    if not p.chef:
        raise PermissionDenied
    contenu = cache_ecrans.fragment(request, "chef", p.chef, lambda: _contenu_chef(request, p))
    return render(request, "tableaux/ecran.html", {"titre": "Tableau de bord", "contenu": contenu})


# --- Référent de parcours ---------------------------------------------------------------------------------


def _alertes_inscription(i, jour, campagne) -> list[tuple[str, str]]:
    out = []
    if i.statut == Inscription.Statut.A_CLOTURER:
        out.append(("À clôturer", "error"))
    reste = (i.date_fin_prevue - jour).days
    if 0 <= reste <= JOURS_FIN_PROCHE and i.statut != Inscription.Statut.A_CLOTURER:
        out.append((f"Fin dans {reste} j", "warning"))
    if i.pfmp_signale:
        out.append(("Plafond PFMP dépassé", "error"))
    if i.referent_id is None:
        out.append(("Sans référent", "warning"))
    delai = i.campagne.jours_sans_point_suivi
    if i.statut == Inscription.Statut.EN_COURS and (i.dernier_point is None or (jour - i.dernier_point).days > delai):
        out.append((f"Pas de point de suivi depuis plus de {delai} j", "info"))
    if i.absences_semaine and i.absences_semaine >= i.campagne.seuil_absences_semaine:
        out.append((f"{i.absences_semaine} absences non justifiées cette semaine", "warning"))
    return out


def _emploi_du_temps(creneaux, lundi, jour):
    jours = []
    for n in range(6):
        date = lundi + datetime.timedelta(days=n)
        jours.append({"date": date, "libelle": date, "creneaux": [], "aujourdhui": date == jour})
    attendus = {}
    for c in creneaux:
        date = lundi + datetime.timedelta(days=c.jour)
        action = c.action
        if not (action.date_debut <= date <= action.date_fin):
            continue
        if not (action.inscription.date_entree <= date <= action.inscription.date_fin_prevue):
            continue
        jours[c.jour]["creneaux"].append(c)
        periode = Presence.Periode.MATIN if c.heure_debut < datetime.time(12, 0) else Presence.Periode.APRES_MIDI
        attendus.setdefault((action.inscription_id, date, periode), (action.inscription, c))
    return [j for j in jours if j["creneaux"] or j["date"].weekday() < 5], attendus


def _parcours_suivis(request, qs, jour):
    """The page of parcours shown, with their alerts and links, and the ids of all of them (for the timetable,
    attendance and interviews): one light query for the visible, ordered ids, one for the page's rows — rather
    than counting, paging and repeating the visibility filter as a subquery of every other list."""
    lignes = list(qs.values_list("pk", "jeune_id"))
    page = Paginator(lignes, PAR_PAGE).get_page(request.GET.get("page"))
    rang = {pk: n for n, (pk, _) in enumerate(page.object_list)}
    inscriptions = sorted(qs.filter(pk__in=list(rang)), key=lambda i: rang[i.pk])
    for i in inscriptions:
        i.alertes = _alertes_inscription(i, jour, i.campagne)
        i.lien = lien_objet("parcours:detail", uuid=i.uuid)
    return page, inscriptions, [pk for pk, _ in lignes], [j for _, j in lignes]


@require_GET
def referent(request):
    p = perimetre(request.user)
    if not p.referent:
        raise PermissionDenied
    contenu = cache_ecrans.fragment(request, "referent", p.referent, lambda: _contenu_referent(request))
    return render(request, "tableaux/ecran.html", {"titre": "Mes jeunes", "contenu": contenu})


def _contenu_referent(request) -> str:
    jour = timezone.localdate()
    lundi, dimanche = selections.semaine(jour)
    qs = selections.inscriptions_suivies(request.user, jour=jour, role="referent")
    page, inscriptions, ids, jeunes = _parcours_suivis(request, qs, jour)
    jours, attendus = _emploi_du_temps(selections.creneaux_de_la_semaine(ids, jour=jour), lundi, jour)
    saisies = selections.presences_saisies(ids, lundi, jour)
    a_saisir = [
        {
            "date": d,
            "periode": Presence.Periode(per).label,
            "inscription": insc,
            "lien": lien_objet("parcours:detail", uuid=insc.uuid),
        }
        for (iid, d, per), (insc, _c) in sorted(attendus.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0]))
        if d <= jour and (iid, d, per) not in saisies
    ]
    points = sorted(
        (i for i in inscriptions if i.prochain_point and i.prochain_point >= jour), key=lambda i: i.prochain_point
    )
    entretiens = list(selections.entretiens_a_venir(request.user, jeunes=jeunes)[:20])
    return render_to_string(
        "tableaux/_referent.html",
        {
            "page": page,
            "inscriptions": inscriptions,
            "jours": jours,
            "lundi": lundi,
            "vendredi": lundi + datetime.timedelta(days=4),
            "a_saisir": a_saisir,
            "points": points,
            "entretiens": entretiens,
            "jour": jour,
        },
        request=request,
    )


# --- Conseiller mission locale ----------------------------------------------------------------------------


@require_GET
def conseiller(request):
    p = perimetre(request.user)
    if not p.missions_locales:
        raise PermissionDenied
    contenu = cache_ecrans.fragment(request, "conseiller", p.couverts, lambda: _contenu_conseiller(request))
    return render(request, "tableaux/ecran.html", {"titre": "Mes jeunes (mission locale)", "contenu": contenu})


def _contenu_conseiller(request) -> str:
    jour = timezone.localdate()
    campagne = Campagne.courante()
    par_lycee = list(selections.jeunes_par_lycee(request.user, campagne))
    for ligne in par_lycee:
        ligne["lien"] = lien("eleves:liste", etablissement=ligne["etablissement__uuid"])
    qs = selections.inscriptions_suivies(request.user, jour=jour, role="conseiller")
    page, inscriptions, _ids, _jeunes = _parcours_suivis(request, qs, jour)
    entretiens = list(selections.entretiens_a_venir(request.user, participant=True)[:50])
    for e in entretiens:
        e.lien = lien_objet("entretiens:detail", uuid=e.uuid)
    return render_to_string(
        "tableaux/_conseiller.html",
        {
            "campagne": campagne,
            "par_lycee": par_lycee,
            "total_jeunes": sum(ligne["jeunes"] for ligne in par_lycee),
            "page": page,
            "inscriptions": inscriptions,
            "entretiens": entretiens,
            "lien_entretiens": lien("entretiens:reunions"),
        },
        request=request,
    )


# --- Pilotage ---------------------------------------------------------------------------------------------

COLONNES_PILOTAGE = [
    ("identifies", "Identifiés"),
    ("contactes", "Contactés"),
    ("invites", "Invités"),
    ("presents", "Présents à la réunion"),
    ("entretiens", "Reçus en entretien"),
    ("inscrits_apro_plus_3", "Inscrits APRO PLUS 3"),
    ("inscrits_apro_plus_4", "Inscrits APRO PLUS 4"),
    ("en_cours", "En cours"),
    ("sortis", "Sortis"),
    ("duree_moyenne_jours", "Durée moyenne (jours)"),
    ("taux_assiduite", "Assiduité (%)"),
]
COLONNES_EXPORT = (
    COLONNES_PILOTAGE[:5]
    + [(f"typologie_{t.value}", t.label) for t in Reperage.Typologie]
    + COLONNES_PILOTAGE[5:9]
    + [("a_cloturer", "À clôturer"), ("sans_referent", "Sans référent"), ("pfmp_signales", "PFMP signalés")]
    + [(f"situation_{s.value}", f"Sortie : {s.label}") for s in Inscription.SituationSortie]
    + COLONNES_PILOTAGE[9:]
)
# Rates and averages are hidden when the people behind them are fewer than the threshold.
BASE_DES_MOYENNES = {"duree_moyenne_jours": "sortis", "taux_assiduite": "inscrits"}


def masquer(valeur) -> str | None:
    """Statistical secrecy: a count below 5 is shown as «< 5»."""
    if isinstance(valeur, int) and valeur < SEUIL_SECRET:
        return MASQUE
    return None


def secretiser(ligne: dict, colonnes) -> list:
    valeurs = []
    for champ, _ in colonnes:
        valeur = ligne.get(champ)
        base = BASE_DES_MOYENNES.get(champ)
        if base is not None:
            valeurs.append(MASQUE if ligne.get(base, 0) < SEUIL_SECRET else valeur)
        else:
            valeurs.append(masquer(valeur) or valeur)
    return valeurs


def portees(user) -> list[dict]:
    """The scopes this user may look at: each pilotage affectation, and a chef's own lycées."""
    p = perimetre(user)
    out = []
    for niveau, territoire in p.pilotage:
        libelle = Affectation.Niveau(niveau).label if niveau in Affectation.Niveau.values else niveau
        out.append(
            {
                "libelle": f"{libelle} : {territoire}" if territoire else libelle,
                "portee": portee_pilotage(niveau, territoire),
                "dimension": DIMENSION_PAR_NIVEAU.get(niveau, "lycee"),
            }
        )
    if p.chef:
        out.append({"libelle": "Mes lycées", "portee": {"pk__in": sorted(p.chef)}, "dimension": "lycee"})
    return out


DUREE_CACHE_PILOTAGE = 120  # seconds


def chiffres_pilotage(campagne, portee: dict, dimension: str) -> dict:
    """Pilotage figures are aggregated statistics, not a worklist: they are computed once for a scope and a
    grouping and kept two minutes in the cache (shared by every pilotage user of the same territory)."""
    if campagne is None:
        return {}
    cle = (
        "tableaux:pilotage:"
        + hashlib.sha256(
            repr((campagne.pk, sorted(portee.items()), dimension, timezone.localdate())).encode()
        ).hexdigest()
    )
    lignes = cache.get(cle)
    if lignes is None:
        lignes = chiffres(campagne, portee, dimension)
        cache.set(cle, lignes, DUREE_CACHE_PILOTAGE)
    return lignes


@require_GET
def pilotage(request):
    choix = portees(request.user)
    if not choix:
        raise PermissionDenied
    try:
        index = int(request.GET.get("portee", 0))
    except ValueError:
        index = 0
    index = index if 0 <= index < len(choix) else 0
    portee = choix[index]
    dimension = request.GET.get("par") or portee["dimension"]
    if dimension not in DIMENSIONS:
        dimension = portee["dimension"]
    campagne = Campagne.courante()
    lignes = chiffres_pilotage(campagne, portee["portee"], dimension)
    ordonnees = sorted(lignes.values(), key=lambda v: str(v.get("libelle", "")))
    somme = total(lignes)
    somme["libelle"] = "Total"
    libelle_dimension = DIMENSIONS[dimension][0]

    format_export = request.GET.get("format")
    if format_export in ("csv", "xlsx"):
        entetes = [libelle_dimension] + [libelle for _, libelle in COLONNES_EXPORT]
        donnees = [[v.get("libelle", "")] + secretiser(v, COLONNES_EXPORT) for v in ordonnees + [somme]]
        nom = f"avenirpro-pilotage-{campagne.session if campagne else 'aucune'}-{dimension}"
        journaliser(
            request.user,
            JournalAcces.Action.EXPORT,
            f"Statistiques de pilotage ({portee['libelle']}, par {libelle_dimension.lower()}, {format_export})",
            len(donnees),
        )
        if format_export == "csv":
            return reponse_csv(f"{nom}.csv", entetes, donnees)
        return reponse_xlsx(f"{nom}.xlsx", "Pilotage", entetes, donnees)

    tableau = [
        {
            "libelle": v.get("libelle", ""),
            "valeurs": [nombre(x) if isinstance(x, int) else x for x in secretiser(v, COLONNES_PILOTAGE)],
        }
        for v in ordonnees
    ]
    ligne_total = [nombre(x) if isinstance(x, int) else x for x in secretiser(somme, COLONNES_PILOTAGE)]
    graphique = barres(
        "graphique-pilotage",
        "Du repérage à la sortie (total du périmètre)",
        [(libelle_f, valeur, None) for libelle_f, valeur, _ in entonnoir(somme)],
        masquer,
    )
    base = {"portee": index}
    return render(
        request,
        "tableaux/pilotage.html",
        {
            "titre": "Pilotage",
            "campagne": campagne,
            "choix": [{"libelle": c["libelle"], "index": i} for i, c in enumerate(choix)],
            "index": index,
            "portee": portee,
            "dimension": dimension,
            "dimensions": [(cle, lib) for cle, (lib, _) in DIMENSIONS.items()],
            "libelle_dimension": libelle_dimension,
            "colonnes": [lib for _, lib in COLONNES_PILOTAGE],
            "tableau": tableau,
            "ligne_total": ligne_total,
            "graphique": graphique,
            "export_csv": "?" + urlencode({**base, "par": dimension, "format": "csv"}),
            "export_xlsx": "?" + urlencode({**base, "par": dimension, "format": "xlsx"}),
            "seuil": SEUIL_SECRET,
        },
    )
