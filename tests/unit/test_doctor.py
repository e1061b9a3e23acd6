"""The doctor's judgements, one check at a time, on what each is shown."""

from __future__ import annotations

import errno
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from bot import doctor
from bot.doctor import Status, WebhookState
from bot.domain.files import MB

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
WIB = ZoneInfo("Asia/Jakarta")
HOOK = "https://lapkin.kpu.example/telegram"


def judge(state: WebhookState, expected: str | None) -> doctor.Result:
    return doctor.judge_webhook(state, expected=expected, now=NOW, tz=WIB)


def test_the_webhook_matches_the_mode_the_bot_runs_in() -> None:
    polling = judge(WebhookState(url="", pending=3), None)
    hooked = judge(WebhookState(url=HOOK, pending=0), HOOK)

    assert polling.status is Status.OK, polling
    assert polling.text == (
        "Webhook: tidak ada, sesuai untuk polling; 3 pembaruan menunggu di Telegram."
    )
    assert hooked.status is Status.OK and HOOK in hooked.text


@pytest.mark.parametrize(
    ("state", "expected", "says"),
    [
        (WebhookState(url=HOOK, pending=0), None, f"terpasang ke {HOOK}, padahal bot berjalan"),
        (WebhookState(url="", pending=0), HOOK, "belum terpasang, padahal bot dijalankan dengan"),
        (WebhookState(url=HOOK + "/lama", pending=0), HOOK, f"terpasang ke {HOOK}/lama, bukan"),
    ],
)
def test_a_webhook_that_does_not_match_the_mode_fails(
    state: WebhookState, expected: str | None, says: str
) -> None:
    result = judge(state, expected)

    assert result.status is Status.FAIL and says in result.text
    assert "\n" not in result.text


def test_a_recent_delivery_error_or_a_pile_of_updates_is_a_warning() -> None:
    failing = WebhookState(
        url=HOOK,
        pending=2,
        last_error_at=NOW - timedelta(hours=1),
        last_error="Wrong response from the webhook: 502 Bad Gateway",
    )
    stale_error = WebhookState(
        url=HOOK, pending=2, last_error_at=NOW - timedelta(days=3), last_error="old"
    )

    warned = judge(failing, HOOK)
    assert warned.status is Status.WARN
    assert "25 November 2026 pukul 09.00 WIB" in warned.text and "502 Bad Gateway" in warned.text
    assert judge(stale_error, HOOK).status is Status.OK
    piled = judge(WebhookState(url="", pending=doctor.PENDING_UPDATES_WARN), None)
    assert piled.status is Status.WARN and "100 pembaruan menunggu" in piled.text


# ------------------------------------------------------------------------------ holidays


def table(*estimated_years: int, missing: int | None = None):  # type: ignore[no-untyped-def]
    def national(year: int) -> dict[date, str]:
        if year == missing:
            return {}
        fitri = "Hari Raya Idul Fitri" + (" (perkiraan)" if year in estimated_years else "")
        return {date(year, 8, 17): "Hari Kemerdekaan Republik Indonesia", date(year, 3, 20): fitri}

    return national


def test_a_calendar_that_knows_this_year_and_next_passes() -> None:
    result = doctor.check_holidays(today=date(2026, 11, 25), national=table())

    assert result.status is Status.OK and "2026 dan 2027 lengkap" in result.text


def test_next_year_missing_from_the_holiday_tables_fails() -> None:
    result = doctor.check_holidays(today=date(2026, 11, 25), national=table(missing=2027))

    assert result.status is Status.FAIL
    assert "tidak mengenal libur nasional 2027" in result.text and "pip install -U" in result.text


def test_estimated_holidays_are_a_warning_naming_each_date() -> None:
    result = doctor.check_holidays(today=date(2026, 11, 25), national=table(2027))

    assert result.status is Status.WARN
    assert "1 tanggal masih perkiraan (Hari Raya Idul Fitri 20 Maret 2027)" in result.text


def test_the_real_tables_are_read_in_indonesian() -> None:
    days = doctor.national_holidays(2026)

    assert days[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"


# ------------------------------------------------------------------------------ DATA_DIR


class Usage(NamedTuple):
    total: int
    used: int
    free: int


def test_a_writable_data_dir_with_room_passes(tmp_path: Path) -> None:
    result = doctor.check_data_dir(tmp_path, reserve_mb=0)

    assert result.status is Status.OK and "dapat ditulisi" in result.text
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind


def test_a_missing_or_read_only_data_dir_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = doctor.check_data_dir(tmp_path / "nowhere", reserve_mb=0)
    assert missing.status is Status.FAIL and "tidak ada atau bukan folder" in missing.text

    # Tests run as root, whom chmod does not stop: refuse the write as a read-only mount does.
    def read_only(folder: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(doctor, "probe_write", read_only)
    result = doctor.check_data_dir(tmp_path, reserve_mb=0)
    assert result.status is Status.FAIL
    assert "tidak dapat ditulisi (Read-only file system)" in result.text
    assert f"chown -R lapkin: {tmp_path.resolve()}" in result.text


@pytest.mark.parametrize(
    ("free_mb", "status", "says"),
    [
        (5000, Status.OK, "tersisa 4,9 GB, cadangan DISK_RESERVE_MB 1,0 GB"),
        (1500, Status.WARN, "sebentar lagi berkas yang dikirim ditolak"),
        (900, Status.FAIL, "tersisa 900 MB, cadangan DISK_RESERVE_MB 1,0 GB, sehingga"),
    ],
)
def test_free_space_is_judged_against_the_disk_reserve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, free_mb: int, status: Status, says: str
) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(0, 0, free_mb * MB))

    result = doctor.check_data_dir(tmp_path, reserve_mb=1024)

    assert result.status is status and says in result.text, result


# ------------------------------------------------------------------------------ LibreOffice


def test_libreoffice_is_needed_only_for_pdf_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.documents.pdf

    monkeypatch.setattr(bot.documents.pdf, "find_soffice", lambda: None)
    assert doctor.check_libreoffice(False).status is Status.OK
    missing = doctor.check_libreoffice(True)
    assert missing.status is Status.FAIL
    assert "apt-get install libreoffice-writer" in missing.text and "PDF_COPIES" in missing.text

    monkeypatch.setattr(bot.documents.pdf, "find_soffice", lambda: "/usr/bin/soffice")
    found = doctor.check_libreoffice(True)
    assert found.status is Status.OK and "/usr/bin/soffice" in found.text


# ------------------------------------------------------------------------------ the report


def test_warnings_do_not_fail_the_checkup_and_failures_do() -> None:
    calm = [doctor.ok("A: baik."), doctor.warn("B: lihat."), doctor.skipped("C: dilewati.")]
    text, healthy = doctor.report(calm)

    assert healthy
    assert text.splitlines() == [
        "OK         A: baik.",
        "PERINGATAN B: lihat.",
        "DILEWATI   C: dilewati.",
        "Tidak ada yang gagal; 1 peringatan perlu dilihat.",
    ]
    text, healthy = doctor.report([*calm, doctor.fail("D: rusak.")])
    assert not healthy and text.endswith(
        "1 pemeriksaan gagal, 1 peringatan: perbaiki yang GAGAL di atas, lalu jalankan doctor lagi."
    )
    assert doctor.report([doctor.ok("A: baik.")]) == (
        "OK         A: baik.\nSemua pemeriksaan lulus.",
        True,
    )


def test_a_check_that_breaks_unexpectedly_is_one_failed_line() -> None:
    def broken() -> doctor.Result:
        raise RuntimeError("disk\nmeledak")

    result = doctor._guarded("Arsip", broken)

    assert result == doctor.fail(
        "Arsip: pemeriksaan terhenti karena kesalahan tak terduga: disk meledak."
    )
