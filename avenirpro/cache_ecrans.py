"""Screens kept in the cache until their data change (ADR 0007).

The dashboards (chef, référent, counsellor) and the worklist are read far more often than the data behind them
change. Their main block is rendered once and kept in the cache under a key made of the screen, the user, the
address (filters, page), the day and the *versions* of the lycées it draws from. Every write to the data of a
lycée gives that lycée a new version, after the commit, so the next read of a screen that depends on it misses the
cache and recomputes it: a user never sees figures older than their own last change. Writes go through model
signals (save, delete, many-to-many) here, and through `perimer()` called by the few bulk writes that bypass
signals (import, sweep, bulk attendance and invitations). A short lifetime bounds what time alone changes (an
interview that is now past, a deadline that moves from «J-8» to «J-7» is in the key by the day).

    html = cache_ecrans.fragment(request, "chef", lycees, lambda: render_to_string(..., request=request))
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

DUREE = 300  # seconds: the cache's own bound, for what changes with time only
CLE_VERSION = "ecrans:lycee:{}"
CLE_GLOBALE = "ecrans:global"  # campaigns and lycées themselves: shown on every screen, changed rarely
ENTETE_BENCH = "HTTP_X_BENCH_SANS_CACHE"


# --- Reading ---------------------------------------------------------------------------------------------------


def versions(lycees: Iterable[int]) -> str:
    """The current version of each lycée (and the global one), as one string."""
    return _lire(None, lycees)[0]


def _lire(cle_fragment: str | None, lycees: Iterable[int]):
    """(versions, cached entry of `cle_fragment` or None), in one read of the cache. A lycée without a version
    (never written, or its key evicted from the cache) gets a new one here: an evicted version can never bring an
    older fragment back."""
    cles = [CLE_GLOBALE] + [CLE_VERSION.format(i) for i in sorted(set(lycees))]
    trouvees = cache.get_many(cles + ([cle_fragment] if cle_fragment else []))
    manquantes = {cle: time.time_ns() for cle in cles if cle not in trouvees}
    if manquantes:
        cache.set_many(manquantes, None)
        trouvees.update(manquantes)
    return ",".join(f"{cle}:{trouvees[cle]}" for cle in cles), trouvees.get(cle_fragment)


def fragment(request, ecran: str, lycees: Iterable[int], calcul: Callable[[], str], duree: int = DUREE) -> SafeString:
    """The HTML of `ecran` for this request, from the cache when the lycées it draws from have not changed.

    One read of the cache: the fragment is stored with the versions it was computed at, and read together with
    the current versions; it is served only when they are the same."""
    if not settings.CACHE_ECRANS or (settings.BENCH and request.META.get(ENTETE_BENCH)):
        # Off in the tests that run inside a transaction (nothing is ever committed there, so no version would
        # change); the benchmark measures the computation too with a header that counts only under BENCH.
        return mark_safe(calcul())
    brut = "|".join([ecran, str(request.user.pk), request.get_full_path(), timezone.localdate().isoformat()])
    cle = "ecrans:fragment:" + hashlib.sha256(brut.encode()).hexdigest()
    courantes, entree = _lire(cle, lycees)
    if entree is not None and entree[0] == courantes:
        return mark_safe(entree[1])
    html = str(calcul())
    cache.set(cle, (courantes, html), duree)
    return mark_safe(html)


# --- Invalidation ----------------------------------------------------------------------------------------------


def perimer(lycees: Iterable[int | str | None]) -> None:
    """Give these lycées a new version, after the current transaction commits (at once outside a transaction).
    `TOUS` gives every screen a new version."""
    ids = {i for i in lycees if i is not None}
    if not ids:
        return
    etat = _etat_de_la_transaction()
    nouveaux = ids - etat["lycees"]
    if nouveaux:
        # One callback per lycée newly added in this transaction (a sheet of 30 attendance rows bumps its lycée
        # once); the first one to run bumps every lycée gathered so far, the others find nothing left.
        etat["lycees"] |= nouveaux
        transaction.on_commit(etat["vider"])


TOUS = "*"
# Beyond this many lycées in one transaction, every screen gets a new version instead (the database cache writes a
# key in three queries: 500 parcours of the sweep spread over 400 lycées would cost 1,200).
MAX_LYCEES_PAR_ECRITURE = 20
_local = threading.local()


def _etat_de_la_transaction() -> dict:
    """The lycées to bump when the current transaction commits. A rolled-back transaction drops its callbacks:
    the state is then started again."""
    etat = getattr(_local, "etat", None)
    if etat is not None and not any(c[1] is etat["vider"] for c in connection.run_on_commit):
        etat = None
    if etat is None:
        etat = {"lycees": set()}

        def vider(etat=etat):
            if getattr(_local, "etat", None) is etat:
                _local.etat = None
            ids, etat["lycees"] = etat["lycees"], set()
            if len(ids) > MAX_LYCEES_PAR_ECRITURE:
                ids = {TOUS}  # a bulk write across many lycées (the daily sweep): one key rather than hundreds
            if ids:
                cles = [CLE_GLOBALE if i == TOUS else CLE_VERSION.format(i) for i in ids]
                cache.set_many(dict.fromkeys(cles, time.time_ns()), None)

        etat["vider"] = vider
        _local.etat = etat
    return etat


# model label → how to reach the lycée of an instance (its own column, or a lookup through a parent row, which
# still exists when a child is deleted: Django deletes children first). The core lists its own models; each app adds
# its models from its AppConfig.ready() with `suivre()` (the core imports no app).
CHEMINS = {
    "avenirpro.Campagne": lambda o: [TOUS],
    "avenirpro.Etablissement": lambda o: [TOUS],
}


def lycee_de(modele, pk, chemin: str = "etablissement_id"):
    """The lycée of the row `pk` of `modele`, read through `chemin` (e.g. "inscription__etablissement_id")."""
    return modele.objects.filter(pk=pk).values_list(chemin, flat=True).first()


def _sur_ecriture(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # fixtures
    chemin = CHEMINS.get(sender._meta.label)
    if chemin is not None:
        perimer(chemin(instance))


def suivre(chemins: dict) -> None:
    """Perime the screens of a lycée on every write to these models (label → lycées of an instance)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    CHEMINS.update(chemins)
    for label in chemins:
        modele = apps.get_model(label)
        post_save.connect(_sur_ecriture, sender=modele, dispatch_uid=f"cache_ecrans:save:{label}")
        post_delete.connect(_sur_ecriture, sender=modele, dispatch_uid=f"cache_ecrans:delete:{label}")


def suivre_participants(through, lycee_par_entretien: Callable) -> None:
    """Interview participants (a many-to-many relation): perime the lycée of the interview on every change."""
    from django.db.models.signals import m2m_changed

    def _sur_participants(sender, instance, action, reverse, **kwargs):
        # Participants are always set from the interview (`entretien.participants.set(…)`): simple-history's
        # tracking of this relation does not support writes from the user's side.
        if action in ("post_add", "post_remove", "post_clear") and not reverse:
            perimer([lycee_par_entretien(instance)])

    m2m_changed.connect(_sur_participants, sender=through, dispatch_uid="cache_ecrans:participants", weak=False)


def brancher() -> None:
    """Connected once, from AvenirproConfig.ready(); the apps add theirs from their own ready()."""
    suivre(dict(CHEMINS))
