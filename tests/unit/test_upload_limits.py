"""The upload limits as rules: which one an upload meets, and what each says."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.domain.files import (
    MB,
    LimitKind,
    UploadLimits,
    UploadUsage,
    evidence_refusal,
    upload_refusal,
)
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


# ------------------------------------------------------------------ the largest file


def test_the_largest_file_is_20_mb_unless_a_local_bot_api_server_allows_more() -> None:
    default = Settings(_env_file=None)  # type: ignore[call-arg]
    local = Settings(_env_file=None, local_mode=True, max_upload_mb=200)  # type: ignore[call-arg]

    assert (default.local_mode, default.upload_limits.file_bytes) == (False, 20 * MB)
    assert (local.local_mode, local.upload_limits.file_bytes) == (True, 200 * MB)
    # Lowering it needs no server of one's own.
    assert Settings(_env_file=None, max_upload_mb=5).upload_limits.file_bytes == 5 * MB  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"max_upload_mb": 21}, "di atas 20 MB hanya dengan LOCAL_MODE=true"),
        ({"max_upload_mb": 0}, "greater than or equal to 1"),
        ({"max_upload_mb": 2001, "local_mode": True}, "less than or equal to 2000"),
    ],
)
def test_an_upload_limit_the_server_cannot_give_is_refused_at_start(
    tmp_path: Path, values: dict[str, object], expected: str
) -> None:
    env = tmp_path / ".env"
    env.write_text("".join(f"{key.upper()}={value}\n" for key, value in values.items()))

    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=env)  # type: ignore[call-arg]

    (error,) = raised.value.errors()
    assert error["loc"] == ("max_upload_mb",) and expected in error["msg"]


def test_evidence_over_the_limit_is_refused_naming_the_limit() -> None:
    assert evidence_refusal("scan.pdf", 20 * MB) is None
    assert evidence_refusal("scan.pdf", 20 * MB + 1) == (
        'Maaf, berkas "scan.pdf" lebih dari 20 MB. Mohon perkecil atau pecah berkasnya.'
    )
    assert evidence_refusal("scan.pdf", 150 * MB, 200 * MB) is None
    refusal = evidence_refusal("scan.pdf", 200 * MB + 1, 200 * MB)
    assert refusal is not None and "lebih dari 200 MB" in refusal
