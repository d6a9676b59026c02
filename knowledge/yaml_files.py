"""YAML as the knowledge folder uses it: safe loading only, with libyaml's C parser when PyYAML has it.

Every reload reads scope.yaml (1,357 labelled questions), facts.yaml, routes.yaml and each article's front
matter; the pure-Python parser spent about 0.6 s of a 10k-passage reload on them, the C one a tenth of that.
Both construct the same plain values (no Python objects), so the choice changes speed only.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader, only faster
