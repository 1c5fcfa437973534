#!/usr/bin/env bash
# pytest with "no test collected" (exit 5) turned into a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "Aucun test n'a été exécuté : c'est un échec." >&2
  exit 1
fi
exit "$rc"
