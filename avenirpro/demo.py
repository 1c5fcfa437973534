"""Each app may add its part of the demo in `<app>/demo.py` with a `completer(**contexte)` function."""

from importlib import import_module

APPS = ["eleves", "entretiens", "parcours"]


def completer_demo(**contexte) -> None:
    for app in APPS:
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError as e:
            if e.name != f"{app}.demo":
                raise
            continue
        module.completer(**contexte)
