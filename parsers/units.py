"""The unit registry: who is expected to report, by name, aliases and addresses."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str = "chi_bo"  # "chi_bo" | "dang_bo"
    emails: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    media: bool = False  # press/media agencies report outline part P2.I.4


@dataclass(frozen=True)
class Registry:
    units: tuple[Unit, ...] = ()

    @cached_property
    def _by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in reversed(self.units)}  # reversed: the first unit wins

    @cached_property
    def _by_email(self) -> dict[str, Unit]:
        return {e.strip().lower(): u for u in reversed(self.units) for e in u.emails}

    def get(self, unit_id: str) -> Unit | None:
        return self._by_id.get(unit_id)

    def named_in(self, text: str) -> Unit | None:
        """The unit whose name or longest alias appears in free text (a subject line)."""
        from parsers.textnorm import fold

        folded = f" {fold(text)} "
        best: tuple[int, Unit | None] = (0, None)
        for unit in self.units:
            for alias in (unit.name, *unit.aliases):
                key = fold(alias)
                if len(key) >= 6 and f" {key} " in folded and len(key) > best[0]:
                    best = (len(key), unit)
        return best[1]

    def by_email(self, address: str) -> Unit | None:
        return self._by_email.get(address.strip().lower())


def registry_from_toml(text: str) -> Registry:
    data = tomllib.loads(text)
    return Registry(
        units=tuple(
            Unit(
                id=u["id"],
                name=u["name"],
                kind=u.get("kind", "chi_bo"),
                emails=tuple(u.get("emails", [])),
                aliases=tuple(u.get("aliases", [])),
                media=bool(u.get("media", False)),
            )
            for u in data.get("units", [])
        )
    )
