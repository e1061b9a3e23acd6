"""The upload limits as rules: which one an upload meets, and what each says."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.files import MB, LimitKind, UploadLimits, UploadUsage, upload_refusal
from bot.settings import Settings

LIMITS = UploadLimits(person_cycle_bytes=10 * MB, cycle_bytes=50 * MB, disk_reserve_bytes=100 * MB)
ROOMY = 1000 * MB


def refusal(
    *,
    person_used: int = 0,
    cycle_used: int = 0,
    size: int = MB,
    counted: bool = False,
    free: int = ROOMY,
) -> LimitKind | None:
    usage = UploadUsage(
        person_used=person_used,
        person_adds=0 if counted else size,
        cycle_used=cycle_used,
        cycle_adds=0 if counted else size,
        free_bytes=free,
    )
    found = upload_refusal(
        name="bukti.pdf", size=size, usage=usage, limits=LIMITS, person="Dedi", period="TW I 2026"
    )
    return found.kind if found else None


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        ({}, None),
        ({"person_used": 9 * MB}, None),  # exactly at the quota is still within it
        ({"person_used": 9 * MB + 1}, LimitKind.PERSON),
        ({"person_used": 20 * MB, "counted": True}, None),  # the same content again adds nothing
        ({"cycle_used": 49 * MB + 1}, LimitKind.CYCLE),
        ({"free": 101 * MB}, None),
        ({"free": 101 * MB - 1}, LimitKind.DISK),
        # The disk comes first: it is the admins' problem, not the person's quota.
        ({"free": 50 * MB, "person_used": 20 * MB, "cycle_used": 90 * MB}, LimitKind.DISK),
        ({"person_used": 20 * MB, "cycle_used": 90 * MB}, LimitKind.PERSON),
    ],
)
def test_which_limit_an_upload_meets(usage: dict[str, int], expected: LimitKind | None) -> None:
    assert refusal(**usage) is expected  # type: ignore[arg-type]


def test_the_refusals_say_how_much_in_indonesian_and_what_to_do() -> None:
    usage = UploadUsage(
        person_used=9_500_000, person_adds=2 * MB, cycle_used=0, cycle_adds=0, free_bytes=ROOMY
    )
    found = upload_refusal(
        name="scan.pdf", size=2 * MB, usage=usage, limits=LIMITS, person="Dedi", period="TW I 2026"
    )

    assert found is not None
    assert found.message.startswith('Maaf, berkas "scan.pdf" (2 MB) melebihi kuota unggah Anda')
    assert "sudah terpakai 9,1 MB dari 10 MB" in found.message
    assert "perkecil berkasnya" in found.message
    assert "Kuota unggah Dedi untuk TW I 2026 tercapai" in found.alert
    assert "UPLOAD_QUOTA_PERSON_MB" in found.alert


def test_the_limits_come_from_the_settings_in_megabytes(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("UPLOAD_QUOTA_PERSON_MB=200\nUPLOAD_QUOTA_CYCLE_MB=2048\nDISK_RESERVE_MB=0\n")
    limits = Settings(_env_file=env).upload_limits  # type: ignore[call-arg]

    assert limits == UploadLimits(
        person_cycle_bytes=200 * MB, cycle_bytes=2048 * MB, disk_reserve_bytes=0
    )
    assert Settings(_env_file=None).upload_limits == UploadLimits()  # type: ignore[call-arg]
