"""The review route (SOP steps 3–4) as data: who initials the draft, in which stages, who signs.

The organisation file's ``review_route:`` lists the stages in order; each names who decides
(role names, unit codes for the unit's Kasubbag, or NIPs) and whether it is a paraf (all must
initial) or the signature (the last stage, one signer). Without it the route is the SOP's:
every Kasubbag (or those of the ``pemaraf:`` units), then the Sekretaris. A stage's ``name``
is what the approvals of that stage record, so the default route's names are the ones the
approvals have always carried.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator, model_validator

from bot.domain.roles import Role, parse_role

PARAF = "paraf"
TANDA_TANGAN = "tanda_tangan"
DEFAULT_PARAF_STAGE = "kasubbag"
DEFAULT_SIGNATURE_STAGE = "sekretaris"

Location = tuple[str | int, ...]
STAGE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,15}$")


class ReviewStageSpec(BaseModel):
    """One stage of the organisation file's ``review_route:``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Recorded on every approval of the stage (the database keeps 16 characters).
    name: str
    action: Literal["paraf", "tanda_tangan"] = "paraf"
    # The heading of the stage in /persetujuan; the default names the paraf or signature.
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] = ""
    roles: tuple[Role, ...] = ()  # everyone holding the role; kasubbag: every unit's head
    units: tuple[str, ...] = ()  # the Kasubbag of each of these units
    nips: tuple[str, ...] = ()  # these people

    @field_validator("name")
    @classmethod
    def _stage_name(cls, value: str) -> str:
        if not STAGE_NAME.match(value):
            raise ValueError(
                "a stage name is lower-case letters, digits and _ (at most 16), e.g. ketua_tim"
            )
        return value

    @field_validator("roles", mode="before")
    @classmethod
    def _parse_roles(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise ValueError("roles must be a list, e.g. [kasubbag]")
        return tuple(parse_role(str(item)) for item in value)

    @field_validator("units", "nips", mode="before")
    @classmethod
    def _as_list(cls, value: object) -> object:
        if isinstance(value, str | int):
            value = [value]
        if not isinstance(value, list | tuple):
            raise ValueError("must be a list, e.g. [RENDATIN] or [198001012005011001]")
        return tuple(str(item).replace(" ", "") for item in value)

    @model_validator(mode="after")
    def _names_someone(self) -> ReviewStageSpec:
        if not (self.roles or self.units or self.nips):
            raise ValueError("a stage needs roles, units or nips: who decides in it")
        return self

    @property
    def signs(self) -> bool:
        """Tell whether this is the signature stage."""
        return self.action == TANDA_TANGAN


def route_problems(
    stages: Sequence[ReviewStageSpec],
    *,
    unit_codes: Sequence[str],
    nips: Sequence[str],
    pemaraf: Sequence[str],
) -> list[tuple[Location, str]]:
    """List what is wrong with a configured route, each with its field in the file."""
    if not stages:
        return []
    problems: list[tuple[Location, str]] = []
    if pemaraf:
        problems.append((("pemaraf",), "use either pemaraf or review_route, not both"))
    last = len(stages) - 1
    if not stages[last].signs:
        problems.append(
            (
                ("review_route", last, "action"),
                "the last stage must be the signature (tanda_tangan)",
            )
        )
    if not any(not stage.signs for stage in stages):
        problems.append((("review_route",), "the route needs a paraf stage before the signature"))
    names: list[str] = []
    for index, stage in enumerate(stages):
        if stage.signs and index != last:
            problems.append(
                (("review_route", index, "action"), "only the last stage may be the signature")
            )
        if stage.name in names:
            problems.append(
                (("review_route", index, "name"), f"stage '{stage.name}' appears twice")
            )
        names.append(stage.name)
        for position, code in enumerate(stage.units):
            if code not in unit_codes:
                problems.append(
                    (
                        ("review_route", index, "units", position),
                        f"unit '{code}' is not among the units ({', '.join(unit_codes)})",
                    )
                )
        for position, nip in enumerate(stage.nips):
            if nip not in nips:
                problems.append(
                    (
                        ("review_route", index, "nips", position),
                        f"NIP {nip} is not among the people",
                    )
                )
    return problems


@dataclass(frozen=True)
class RouteStage:
    """One stage of an office's route, as the services resolve it to people."""

    name: str
    signs: bool
    label: str = ""
    roles: tuple[Role, ...] = ()
    units: tuple[str, ...] = ()
    nips: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewRoute:
    """The stages a draft version passes, in order; the last one signs."""

    stages: tuple[RouteStage, ...]

    @property
    def first(self) -> RouteStage:
        """The stage a submitted version goes to."""
        return self.stages[0]

    @property
    def signature(self) -> RouteStage:
        """The stage that signs: the last."""
        return self.stages[-1]

    def named(self, name: str) -> RouteStage | None:
        """The stage called ``name``, if the route has it."""
        return next((stage for stage in self.stages if stage.name == name), None)

    def after(self, name: str) -> RouteStage | None:
        """The stage that follows ``name``; None after the signature.

        A stage the route no longer has (the organisation file changed during a review) is
        followed by the signature, which still closes the round.
        """
        names = [stage.name for stage in self.stages]
        if name not in names:
            return self.signature
        index = names.index(name)
        return self.stages[index + 1] if index + 1 < len(self.stages) else None

    def before(self, name: str) -> tuple[RouteStage, ...]:
        """The stages ahead of ``name``: their people are not asked again in it."""
        names = [stage.name for stage in self.stages]
        return self.stages[: names.index(name)] if name in names else ()


def review_route(stages: Sequence[ReviewStageSpec], *, pemaraf: Sequence[str] = ()) -> ReviewRoute:
    """Build an office's route from its settings; none configured is the SOP's own."""
    if not stages:
        return ReviewRoute(
            (
                RouteStage(
                    DEFAULT_PARAF_STAGE,
                    signs=False,
                    roles=() if pemaraf else (Role.KASUBBAG,),
                    units=tuple(pemaraf),
                ),
                RouteStage(DEFAULT_SIGNATURE_STAGE, signs=True, roles=(Role.SEKRETARIS,)),
            )
        )
    return ReviewRoute(
        tuple(
            RouteStage(
                stage.name,
                signs=stage.signs,
                label=stage.label,
                roles=stage.roles,
                units=stage.units,
                nips=stage.nips,
            )
            for stage in stages
        )
    )
