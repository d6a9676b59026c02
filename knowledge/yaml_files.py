"""YAML as the knowledge folder uses it: safe loading only, with libyaml's C parser when PyYAML has it.

Every reload reads scope.yaml (1,357 labelled questions), facts.yaml, routes.yaml and each article's front
matter: with the pure-Python parser, loading a 500-article folder took 0.33 s of a one-article reload, with
the C one 0.16 s. Both construct the same plain values (no Python objects), so the choice changes speed only.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)
