"""The jinja2 environment over templates/: HTML templates autoescape, text ones do not."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

import jinja2

from aggregators.vnformat import format_number

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _autoescape(name: str | None) -> bool:
    # Everything from documents (unit names, file names, sentences) is untrusted.
    return bool(name) and (name.endswith(".html.j2") or name.endswith(".html"))


@lru_cache(maxsize=4)
def environment(directory: str = str(TEMPLATES)) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = format_number
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
