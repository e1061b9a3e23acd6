"""An office's own time zone in the organisation file: WIB, WITA or WIT."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.domain.organisation import OfficeSpec
from bot.domain.timezones import office_zone, zone_label
from bot.orgfile import load_organisation
from tests.conftest import EXAMPLE_ORG

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("written", "label", "zone"),
    [
        ("WIB", "WIB", "Asia/Jakarta"),
        ("wita", "WITA", "Asia/Makassar"),
        (" WIT ", "WIT", "Asia/Jayapura"),
        ("Asia/Makassar", "WITA", "Asia/Makassar"),
    ],
)
def test_each_zone_is_read_by_its_label_or_name(written: str, label: str, zone: str) -> None:
    assert zone_label(written) == label
    assert office_zone(label, JAKARTA) == ZoneInfo(zone)


def test_an_office_without_a_zone_keeps_the_deployment_s() -> None:
    assert office_zone(None, ZoneInfo("Asia/Jayapura")) == ZoneInfo("Asia/Jayapura")


def test_an_unknown_zone_or_a_relative_templates_folder_is_refused() -> None:
    office = load_organisation(EXAMPLE_ORG).office.model_dump()
    with pytest.raises(ValidationError, match="WIB, WITA or WIT"):
        OfficeSpec.model_validate({**office, "timezone": "Asia/Singapore"})
    with pytest.raises(ValidationError, match="absolute path"):
        OfficeSpec.model_validate({**office, "templates_dir": "kop"})
