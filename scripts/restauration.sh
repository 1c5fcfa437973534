#!/usr/bin/env bash
# Restore drill (docs/scorecard.md): dump a database with pg_dump, restore it into a fresh database,
# compare the row count of every table and a checksum of the key tables, print a JSON summary.
#
#   scripts/restauration.sh [postgres://user:pass@host:port/base]     (default: $DATABASE_URL)
#   KEEP=1 keeps the restored database (its name is in the JSON, "restauree"); DUMP_DIR chooses where the dump is
#   written (default: a temporary dir); COMPARER_AVEC=<base> skips dump and restore and only compares with <base>.
# Exit status: 0 when everything matches, 1 on a mismatch, 2 on a tool error.
set -euo pipefail

SOURCE="${1:-${DATABASE_URL:-}}"
if [[ -z "$SOURCE" || "$SOURCE" != postgres* ]]; then
  echo "Usage : $0 postgres://utilisateur:motdepasse@hote:port/base (ou DATABASE_URL)" >&2
  exit 2
fi
BASE="${SOURCE##*/}"; BASE="${BASE%%\?*}"
SERVEUR="${SOURCE%/*}"
CIBLE="${COMPARER_AVEC:-${BASE}_restauration_$(date +%s)_$$}"
DOSSIER="${DUMP_DIR:-$(mktemp -d)}"
DUMP="$DOSSIER/${BASE}.dump"
# Key tables: their content is compared byte for byte (md5 of every row in primary-key order).
TABLES_CLES="${TABLES_CLES:-eleves_jeune eleves_reperage eleves_contact entretiens_entretien parcours_inscription parcours_pfmp parcours_presence avenirpro_utilisateur avenirpro_affectation avenirpro_journalacces}"

nettoyer() {
  if [[ "${KEEP:-0}" != "1" && -z "${COMPARER_AVEC:-}" ]]; then
    psql -q "$SERVEUR/postgres" -c "DROP DATABASE IF EXISTS \"$CIBLE\"" >/dev/null 2>&1 || true
  fi
  [[ -z "${DUMP_DIR:-}" ]] && rm -rf "$DOSSIER"
  return 0
}
trap nettoyer EXIT

debut=$(date +%s.%N)
echec() { echo "Exercice de restauration interrompu : $1" >&2; exit 2; }
if [[ -z "${COMPARER_AVEC:-}" ]]; then
  pg_dump --format=custom --no-owner --file="$DUMP" "$SOURCE" || echec "pg_dump a échoué"
  psql -q "$SERVEUR/postgres" -c "CREATE DATABASE \"$CIBLE\"" >/dev/null || echec "création de $CIBLE impossible"
  pg_restore --no-owner --exit-on-error --dbname="$SERVEUR/$CIBLE" "$DUMP" || echec "pg_restore a échoué"
else
  : >"$DUMP"
fi
fin=$(date +%s.%N)

# One line per table: "table count" (every table of the public schema), in a single psql session.
compter() {
  psql -qAtX "$1" <<'SQL'
SELECT format('SELECT %L || '' '' || count(*) FROM %I;', tablename, tablename)
FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
\gexec
SQL
}
# One line per key table present: "table md5-of-all-rows".
empreinte() {
  psql -qAtX -v tables="$TABLES_CLES" "$1" <<'SQL'
SELECT format('SELECT %L || '' '' || coalesce(md5(string_agg(x::text, ''|'' ORDER BY x.id)), ''vide'') FROM %I x;',
              t, t)
FROM unnest(string_to_array(:'tables', ' ')) AS t
WHERE to_regclass('public.' || t) IS NOT NULL
ORDER BY t
\gexec
SQL
}

comptes_source="$(compter "$SOURCE")"
comptes_cible="$(compter "$SERVEUR/$CIBLE")"
empreintes_source="$(empreinte "$SOURCE")"
empreintes_cible="$(empreinte "$SERVEUR/$CIBLE")"

tables=$(printf '%s\n' "$comptes_source" | grep -c . || true)
lignes=$(printf '%s\n' "$comptes_source" | awk '{s += $2} END {print s + 0}')
ecarts_lignes=$(diff <(printf '%s\n' "$comptes_source") <(printf '%s\n' "$comptes_cible") | grep -c '^<' || true)
ecarts_empreintes=$(diff <(printf '%s\n' "$empreintes_source") <(printf '%s\n' "$empreintes_cible") | grep -c '^<' || true)
tables_cles=$(printf '%s\n' "$empreintes_source" | grep -c . || true)
duree=$(awk -v a="$debut" -v b="$fin" 'BEGIN {printf "%.2f", b - a}')
taille=$(stat -c %s "$DUMP")

printf '{"base": "%s", "restauree": "%s", "tables": %d, "lignes": %d, "tables_cles": %d, "ecarts_comptes": %d, "ecarts_empreintes": %d, "duree_s": %s, "taille_dump_octets": %d, "date": "%s"}\n' \
  "$BASE" "$CIBLE" "$tables" "$lignes" "$tables_cles" "$ecarts_lignes" "$ecarts_empreintes" "$duree" "$taille" "$(date -u +%FT%TZ)"

if [[ "$ecarts_lignes" -ne 0 || "$ecarts_empreintes" -ne 0 ]]; then
  echo "Écarts entre la base et sa restauration :" >&2
  diff <(printf '%s\n' "$comptes_source" "$empreintes_source") <(printf '%s\n' "$comptes_cible" "$empreintes_cible") >&2 || true
  exit 1
fi
