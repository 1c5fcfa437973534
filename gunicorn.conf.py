"""gunicorn settings, read from the working directory by every launch of the app (Dockerfile, docker-compose, the
benchmark): gunicorn looks for ./gunicorn.conf.py by default.

No `Server:` header: naming the server and its version helps nobody but an attacker (issue 13, F10). gunicorn has
no setting for it; its response's default headers are filtered once, in the master, before the workers fork.

Every worker loads the calendars (public and school holidays) when it starts, not on its first request
(`post_worker_init`, see `parcours.regles.prechauffer_calendriers`).
"""

from gunicorn.http import wsgi

_entetes_par_defaut = wsgi.Response.default_headers


def _sans_server(self):
    return [entete for entete in _entetes_par_defaut(self) if not entete.lower().startswith("server:")]


wsgi.Response.default_headers = _sans_server


def post_worker_init(worker):
    from parcours.regles import prechauffer_calendriers

    prechauffer_calendriers()
