"""The review route as data: the default and configured routes, their validation with line
numbers in the organisation file, and the round logic of bot/domain/approval.py."""

from __future__ import annotations

import pytest

from bot.domain.approval import (
    Decision,
    DraftEvent,
    DraftStatus,
    Stage,
    event_towards,
    kind_of,
    next_status,
    round_complete,
    stage_after,
    tally,
    waits_for,
)
from bot.domain.approval_route import ReviewRoute, ReviewStageSpec, RouteStage, review_route
from bot.domain.roles import Role
from bot.orgfile import OrganisationFileError, parse_organisation
from tests.conftest import EXAMPLE_ORG

EXAMPLE_TEXT = EXAMPLE_ORG.read_text(encoding="utf-8")
WITHOUT_PEMARAF = EXAMPLE_TEXT.replace("pemaraf: [KUL, TEKNIS, HUKUM, RENDATIN]\n", "")
THREE_STAGES = """
review_route:
  - name: ketua_tim
    label: Paraf Ketua Tim
    units: [RENDATIN]
  - name: kasubbag
    roles: [kasubbag]
  - name: sekretaris
    action: tanda_tangan
    nips: ["197805122005021001"]
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(text, name="org.yaml")
    return caught.value.report().splitlines()


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# ----------------------------------------------------------------------------- building


def test_without_a_setting_the_route_is_every_kasubbag_then_the_sekretaris() -> None:
    route = review_route(())

    assert [stage.name for stage in route.stages] == [Stage.KASUBBAG, Stage.SEKRETARIS]
    assert route.first == RouteStage("kasubbag", signs=False, roles=(Role.KASUBBAG,))
    assert route.signature == RouteStage("sekretaris", signs=True, roles=(Role.SEKRETARIS,))


def test_the_pemaraf_list_still_names_the_units_of_the_first_stage() -> None:
    route = review_route((), pemaraf=("KUL", "HUKUM"))

    assert route.first == RouteStage("kasubbag", signs=False, units=("KUL", "HUKUM"))
    assert route.signature.roles == (Role.SEKRETARIS,)


def test_a_configured_route_keeps_its_stages_in_order() -> None:
    spec = parse_organisation(WITHOUT_PEMARAF + THREE_STAGES)
    route = review_route(spec.review_route, pemaraf=spec.pemaraf)

    assert [(stage.name, stage.signs) for stage in route.stages] == [
        ("ketua_tim", False),
        ("kasubbag", False),
        ("sekretaris", True),
    ]
    assert route.first.units == ("RENDATIN",) and route.first.label == "Paraf Ketua Tim"
    assert route.signature.nips == ("197805122005021001",)
    assert route.after("ketua_tim") == route.stages[1]
    assert route.after("kasubbag") == route.signature
    assert route.after("sekretaris") is None
    assert route.before("kasubbag") == (route.first,)
    assert route.named("kasubbag") == route.stages[1] and route.named("rapat") is None


def test_a_stage_the_route_no_longer_has_hands_on_to_the_signature() -> None:
    route = review_route(())

    assert route.after("ketua_tim") == route.signature
    assert stage_after(route, "kasubbag") == route.signature


def test_the_default_route_reads_back_from_the_office_settings_unchanged() -> None:
    stage = ReviewStageSpec(name="ketua_tim", roles="kasubbag", nips=198011302006042002)  # type: ignore[arg-type]

    assert stage.roles == (Role.KASUBBAG,) and stage.nips == ("198011302006042002",)
    assert ReviewStageSpec.model_validate(stage.model_dump(mode="json")) == stage


# ----------------------------------------------------------------------------- validation


def test_the_example_file_has_no_route_and_loads() -> None:
    assert parse_organisation(EXAMPLE_TEXT).review_route == ()


@pytest.mark.parametrize(
    ("change", "field", "message", "anchor"),
    [
        (("tanda_tangan\n", "paraf\n"), "review_route[2].action", "last stage", "action: paraf"),
        (("name: kasubbag", "name: ketua_tim"), "review_route[1].name", "twice", "name: ketua_tim"),
        (("[RENDATIN]", "[PERENCANAAN]"), "review_route[0].units[0]", "not among", "PERENCANAAN"),
        (("197805122005021001", "123456789"), "review_route[2].nips[0]", "not among", "123456789"),
        (("    roles: [kasubbag]\n", ""), "review_route[1]", "roles, units or nips", "kasubbag"),
        (
            ("roles: [kasubbag]", "roles: [ketua]"),
            "review_route[1].roles",
            "tidak dikenal",
            "ketua]",
        ),
        (
            ("name: ketua_tim", "name: Ketua Tim"),
            "review_route[0].name",
            "lower-case",
            "name: Ketua",
        ),
        (("tanda_tangan", "tandatangan"), "review_route[2].action", "paraf", "tandatangan"),
    ],
)
def test_each_bad_stage_is_reported_with_its_line(
    change: tuple[str, str], field: str, message: str, anchor: str
) -> None:
    text = WITHOUT_PEMARAF + THREE_STAGES.replace(*change)

    problems = _problems(text)

    line = max(n for n, content in enumerate(text.splitlines(), 1) if anchor in content)
    expected = f"org.yaml:{line}: {field}:"
    assert any(p.startswith(expected) and message in p for p in problems), problems


def test_a_signature_before_the_last_stage_and_a_route_without_paraf_are_refused() -> None:
    only_signature = """
review_route:
  - name: sekretaris
    action: tanda_tangan
    roles: [sekretaris]
"""
    assert any("needs a paraf stage" in p for p in _problems(WITHOUT_PEMARAF + only_signature))
    early = THREE_STAGES.replace(
        "    units: [RENDATIN]\n", "    action: tanda_tangan\n    units: [RENDATIN]\n"
    )
    assert any(
        "review_route[0].action: only the last stage" in p
        for p in _problems(WITHOUT_PEMARAF + early)
    )


def test_pemaraf_and_a_route_together_are_refused() -> None:
    problems = _problems(EXAMPLE_TEXT + THREE_STAGES)

    line = _line_of(EXAMPLE_TEXT, "pemaraf: [")
    assert f"org.yaml:{line}: pemaraf: use either pemaraf or review_route, not both" in problems


# ----------------------------------------------------------------------------- rounds


def test_a_paraf_round_is_complete_only_when_everyone_approved() -> None:
    assert tally(["approved", "pending", "approved"]) == (2, 3)
    assert not round_complete([Decision.APPROVED, Decision.PENDING])
    assert not round_complete([Decision.APPROVED, Decision.RETURNED])
    assert not round_complete([])
    assert round_complete(["approved", "approved", "approved", "approved"])


def test_a_version_waits_only_for_the_round_opened_last() -> None:
    assert waits_for(DraftStatus.REVIEW_KASUBBAG, "kasubbag", current="kasubbag")
    assert waits_for("review_sekretaris", "sekretaris", current="sekretaris")
    assert not waits_for(DraftStatus.REVIEW_SEKRETARIS, "kasubbag", current="sekretaris")
    assert not waits_for(DraftStatus.REVIEW_KASUBBAG, "ketua_tim", current="kasubbag")
    assert not waits_for(DraftStatus.SIGNED, "sekretaris", current="sekretaris")
    assert not waits_for(DraftStatus.RETURNED, "kasubbag", current="kasubbag")
    assert not waits_for(DraftStatus.REVIEW_KASUBBAG, "kasubbag", current=None)


def test_a_complete_paraf_round_hands_on_to_another_paraf_or_to_the_signature() -> None:
    route = ReviewRoute(
        (
            RouteStage("ketua_tim", signs=False, units=("RENDATIN",)),
            RouteStage("kasubbag", signs=False, roles=(Role.KASUBBAG,)),
            RouteStage("sekretaris", signs=True, roles=(Role.SEKRETARIS,)),
        )
    )

    towards_paraf = event_towards(stage_after(route, "ketua_tim"))
    towards_signature = event_towards(stage_after(route, "kasubbag"))

    assert towards_paraf is DraftEvent.STAGE_INITIALLED
    assert towards_signature is DraftEvent.ALL_INITIALLED
    assert next_status("review_kasubbag", towards_paraf, version=1) is DraftStatus.REVIEW_KASUBBAG
    assert (
        next_status("review_kasubbag", towards_signature, version=1)
        is DraftStatus.REVIEW_SEKRETARIS
    )
    assert [kind_of(stage) for stage in route.stages] == [
        Stage.KASUBBAG,
        Stage.KASUBBAG,
        Stage.SEKRETARIS,
    ]
    with pytest.raises(AssertionError):
        stage_after(route, "sekretaris")


def test_the_commented_route_of_the_example_file_loads_when_uncommented() -> None:
    start = EXAMPLE_TEXT.index("# review_route:")
    block = EXAMPLE_TEXT[start : EXAMPLE_TEXT.index("\n\n", start)]
    uncommented = "\n".join(line.removeprefix("# ") for line in block.splitlines())
    spec = parse_organisation(WITHOUT_PEMARAF + "\n" + uncommented + "\n")

    assert [stage.name for stage in spec.review_route] == ["ketua_tim", "kasubbag", "sekretaris"]
