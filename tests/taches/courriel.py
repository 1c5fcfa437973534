"""A test e-mail backend that a worker subprocess can use: one JSON file per message in $COURRIELS_DOSSIER.

If the file `ralentir` exists in that folder when a message is sent, the backend removes it, leaves a marker
`debut-<pid>` and sleeps $COURRIEL_PAUSE seconds before writing the message: the test kills the worker process
during that pause (only the first attempt pauses)."""

import json
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class CourrielFichier(BaseEmailBackend):
    def send_messages(self, email_messages):
        dossier = Path(os.environ["COURRIELS_DOSSIER"])
        dossier.mkdir(parents=True, exist_ok=True)
        for m in email_messages:
            ralentir = dossier / "ralentir"
            try:
                ralentir.unlink()
                pause = True
            except FileNotFoundError:
                pause = False
            if pause:
                (dossier / f"debut-{os.getpid()}").write_text("")
                time.sleep(float(os.environ.get("COURRIEL_PAUSE", "30")))
            (dossier / f"courriel-{uuid.uuid4()}.json").write_text(
                json.dumps({"sujet": m.subject, "a": m.to, "corps": m.body}, ensure_ascii=False), encoding="utf-8"
            )
        return len(email_messages)


def lire_courriels(dossier: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(dossier).glob("courriel-*.json"))]
