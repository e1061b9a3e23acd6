"""``python -m bot doctor``: is this deployment in order? One Indonesian line per check.

Each check is a small function that returns a :class:`Result`: OK, a warning (worth a look,
nothing is broken yet) or a failure (people will notice, or soon will). The command exits 1
when any check failed, so a timer (deploy/lapkin-doctor.timer) or a monitor can act on it.

The doctor looks and changes nothing: it does not migrate the database (which would hide a
deployment that is behind), creates no SQLite file, sends no message and sets no webhook.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import ParamSpec
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from bot.domain.dates import format_short_day
from bot.domain.files import MB
from bot.domain.formatting import format_datetime
from bot.settings import MissingToken, Settings
from storage.db import Database, normalise_url
from storage.files import FileStore
from storage.migrate import alembic_config
from storage.models import OutboxMessage, Person

BACKLOG_AGE = timedelta(minutes=10)
"""A message due this long and still unsent means the dispatcher is not running: a retry
waits at most 5 minutes (bot.services.outbox.MAX_BACKOFF), and Telegram's rate limits let
the bot send a thousand messages in well under a minute."""
RECENT = timedelta(days=7)
"""How far back failed and undeliverable messages are counted (the timer runs daily)."""
PENDING_UPDATES_WARN = 100
"""Updates waiting at Telegram: a running bot fetches them within seconds."""
WEBHOOK_ERROR_RECENT = timedelta(hours=24)
CONNECT_TIMEOUT_SECONDS = 10
"""How long to wait for PostgreSQL: without it an unreachable host hangs the doctor."""


Parameters = ParamSpec("Parameters")


class Status(StrEnum):
    """How a check came out; only FAIL makes the command exit non-zero."""

    OK = "OK"
    WARN = "PERINGATAN"
    FAIL = "GAGAL"
    SKIPPED = "DILEWATI"


@dataclass(frozen=True)
class Result:
    """One check's outcome: what was found and, when something is wrong, what to do."""

    status: Status
    text: str

    def line(self) -> str:
        """The line the command prints."""
        return f"{self.status.value:<11}{self.text}"


def ok(text: str) -> Result:
    """A check that passed."""
    return Result(Status.OK, text)


def warn(text: str) -> Result:
    """Something worth a look that does not stop anyone yet."""
    return Result(Status.WARN, text)


def fail(text: str) -> Result:
    """Something broken, or about to be."""
    return Result(Status.FAIL, text)


def skipped(text: str) -> Result:
    """A check that could not run because an earlier one failed."""
    return Result(Status.SKIPPED, text)


# ------------------------------------------------------------------------ the whole checkup


def examine(
    settings: Settings, *, webhook_url: str | None, now: datetime, today: date | None = None
) -> list[Result]:
    """Run every check, in the order an operator would fix what they find."""
    try:
        database_result, db = check_database(settings.effective_database_url)
    except Exception as exc:
        database_result, db = _unexpected("Basis data", exc), None
    results = [
        database_result,
        _guarded("DATA_DIR", check_data_dir, settings.data_dir, settings.disk_reserve_mb),
        _guarded("Salinan PDF", check_libreoffice, settings.pdf_copies),
        *_telegram(settings, webhook_url=webhook_url, now=now),
    ]
    if db is None:
        results.append(skipped("Antrean pesan: dilewati, basis data belum siap."))
        results.append(skipped("Arsip: dilewati, basis data belum siap."))
    else:
        try:
            results.append(_guarded("Antrean pesan", check_outbox, db, now=now, tz=settings.tz))
            results.append(_guarded("Arsip", check_archive, db, FileStore(settings.data_dir)))
        finally:
            db.dispose()
    local_today = today or now.astimezone(settings.tz).date()
    results.append(_guarded("Kalender libur", check_holidays, today=local_today))
    return results


def report(results: Sequence[Result]) -> tuple[str, bool]:
    """Return the lines to print (each check, then a summary) and whether all is well."""
    counts = {status: sum(r.status is status for r in results) for status in Status}
    if counts[Status.FAIL]:
        summary = (
            f"{counts[Status.FAIL]} pemeriksaan gagal, {counts[Status.WARN]} peringatan: "
            "perbaiki yang GAGAL di atas, lalu jalankan doctor lagi."
        )
    elif counts[Status.WARN]:
        summary = f"Tidak ada yang gagal; {counts[Status.WARN]} peringatan perlu dilihat."
    else:
        summary = "Semua pemeriksaan lulus."
    lines = [result.line() for result in results]
    return "\n".join([*lines, summary]), not counts[Status.FAIL]


def _guarded(
    name: str,
    check: Callable[Parameters, Result],
    *args: Parameters.args,
    **kwargs: Parameters.kwargs,
) -> Result:
    # A check that breaks in a way nobody foresaw is one failed line, not a traceback that
    # hides the other checks' findings.
    try:
        return check(*args, **kwargs)
    except Exception as exc:
        return _unexpected(name, exc)


def _unexpected(name: str, exc: Exception, secret: str = "") -> Result:
    reason = _one_line(exc)
    if secret:
        reason = reason.replace(secret, "<token>")
    return fail(f"{name}: pemeriksaan terhenti karena kesalahan tak terduga: {reason}")


def _telegram(settings: Settings, *, webhook_url: str | None, now: datetime) -> list[Result]:
    try:
        return asyncio.run(check_telegram(settings, webhook_url=webhook_url, now=now))
    except Exception as exc:
        secret = settings.telegram_bot_token
        return [
            _unexpected("Telegram", exc, secret.get_secret_value() if secret else ""),
            skipped("Webhook: dilewati, Telegram tidak dapat diperiksa."),
        ]


def _one_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    text = " ".join(str(cause).split()) or type(cause).__name__
    text = text[:300] + "…" if len(text) > 300 else text
    # Each line goes on with what to do, so the reason ends as a sentence does.
    return text if text.endswith((".", "?", "!", "…")) else text + "."


# ------------------------------------------------------------------------------ database


def check_database(url: str) -> tuple[Result, Database | None]:
    """Reach the database and compare its revision with the newest migration.

    Return the database too when later checks may use it (reachable and migrated).
    """
    shown = make_url(url).render_as_string(hide_password=True)  # as the operator wrote it
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not path.is_file():
            return fail(
                f"Basis data: berkas SQLite {path} belum ada. Periksa DATA_DIR dan DATABASE_URL; "
                "untuk pemasangan baru jalankan `python -m bot migrate`."
            ), None
    elif parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        parsed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)})
    db = Database(parsed.render_as_string(hide_password=False))
    try:
        current = _current_revision(db)
    except SQLAlchemyError as exc:
        db.dispose()
        return fail(
            f"Basis data {shown} tidak dapat dihubungi: {_one_line(exc)} Periksa DATABASE_URL "
            "(nama, kata sandi, host) dan apakah server basis data berjalan."
        ), None
    return _judge_revision(shown, current, url, db)


def _current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _judge_revision(
    shown: str, current: str | None, url: str, db: Database
) -> tuple[Result, Database | None]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(url))
    head = script.get_current_head()
    if current == head:
        return ok(f"Basis data {shown}: terhubung, skema terbaru (revisi {head})."), db
    db.dispose()
    if current is None:
        return fail(
            f"Basis data {shown}: terhubung, tetapi belum berisi tabel Lapkin. Jalankan "
            "`python -m bot migrate` (atau mulai bot: ia memasang skemanya sendiri)."
        ), None
    if current not in {revision.revision for revision in script.walk_revisions()}:
        return fail(
            f"Basis data {shown}: revisi {current} tidak dikenal versi Lapkin ini (terbaru "
            f"{head}); basis data ini dari versi yang lebih baru. Pasang kembali versi itu, "
            "atau pulihkan cadangan yang cocok."
        ), None
    return fail(
        f"Basis data {shown}: skema tertinggal (revisi {current}, terbaru {head}). Jalankan "
        "`python -m bot migrate`, atau mulai ulang bot (systemctl restart lapkin)."
    ), None


# ------------------------------------------------------------------------------ DATA_DIR


def check_data_dir(data_dir: Path, reserve_mb: int) -> Result:
    """DATA_DIR exists, the bot can write there, and it keeps more than DISK_RESERVE_MB free."""
    path = data_dir.resolve()
    if not path.is_dir():
        return fail(
            f"DATA_DIR {path} tidak ada atau bukan folder. Buat foldernya untuk pengguna yang "
            "menjalankan bot, atau perbaiki DATA_DIR."
        )
    try:
        probe_write(path)
    except OSError as exc:
        return fail(
            f"DATA_DIR {path} tidak dapat ditulisi ({exc.strerror or exc}). Berikan hak tulis "
            f"kepada pengguna yang menjalankan bot, misalnya `chown -R lapkin: {path}`."
        )
    free = shutil.disk_usage(path).free
    reserve = reserve_mb * MB
    room = f"tersisa {_gb(free)}, cadangan DISK_RESERVE_MB {_gb(reserve)}"
    if free < reserve:
        # Below the reserve every upload is refused (bot.domain.files.upload_refusal).
        return fail(
            f"DATA_DIR {path}: {room}, sehingga berkas yang dikirim ditolak. Kosongkan atau "
            "tambah ruang disk."
        )
    if free < 2 * reserve:
        return warn(
            f"DATA_DIR {path}: {room}; sebentar lagi berkas yang dikirim ditolak. Kosongkan "
            "atau tambah ruang disk."
        )
    return ok(f"DATA_DIR {path}: dapat ditulisi, {room}.")


def probe_write(folder: Path) -> None:
    """Create and remove a small file in ``folder``; raise OSError when that is refused."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=".doctor-")
    try:
        os.write(handle, b"lapkin doctor\n")
    finally:
        os.close(handle)
        os.unlink(name)


def _gb(size: int) -> str:
    if size >= 1024 * MB:
        return f"{size / (1024 * MB):.1f} GB".replace(".", ",")
    return f"{size // MB} MB"


# ------------------------------------------------------------------------------ LibreOffice


def check_libreoffice(pdf_copies: bool) -> Result:
    """LibreOffice is installed when PDF copies are asked for."""
    from bot.documents.pdf import find_soffice

    if not pdf_copies:
        return ok("Salinan PDF: PDF_COPIES=false, LibreOffice tidak diperlukan.")
    program = find_soffice()
    if program is None:
        return fail(
            "Salinan PDF: PDF_COPIES=true, tetapi LibreOffice (soffice) tidak ditemukan, jadi "
            "dokumen dikirim tanpa PDF. Pasang `apt-get install libreoffice-writer`, atau "
            "setel PDF_COPIES=false."
        )
    return ok(f"Salinan PDF: LibreOffice ada ({program}).")


# ------------------------------------------------------------------------------ Telegram


@dataclass(frozen=True)
class WebhookState:
    """What getWebhookInfo says, in the few fields the doctor judges."""

    url: str
    pending: int
    last_error_at: datetime | None = None
    last_error: str | None = None


async def check_telegram(
    settings: Settings, *, webhook_url: str | None, now: datetime
) -> list[Result]:
    """The token is accepted (getMe), and the webhook is what the bot's mode needs."""
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError
    from telegram.request import HTTPXRequest

    try:
        token = settings.bot_token()
    except MissingToken:
        return [
            fail(
                "Telegram: TELEGRAM_BOT_TOKEN kosong atau bentuknya salah. Minta token di "
                "@BotFather (/newbot atau /token) dan tulis di .env."
            ),
            skipped("Webhook: dilewati, token belum ada."),
        ]
    host = urlsplit(settings.telegram_base_url).netloc or settings.telegram_base_url
    timeout = settings.telegram_read_timeout
    bot = Bot(
        token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        local_mode=settings.local_mode,
        request=HTTPXRequest(connect_timeout=timeout, read_timeout=timeout),
    )
    try:
        await bot.initialize()  # getMe
    except InvalidToken:
        return [
            fail(
                f"Telegram ({host}) menolak TELEGRAM_BOT_TOKEN: token salah atau sudah dicabut. "
                "Ambil token yang berlaku di @BotFather (/token) dan tulis di .env."
            ),
            skipped("Webhook: dilewati, token ditolak."),
        ]
    except TelegramError as exc:
        reason = _one_line(exc).replace(token, "<token>")
        return [
            fail(
                f"Telegram ({host}) tidak dapat dihubungi: {reason} Periksa jaringan, proxy "
                "dan TELEGRAM_BASE_URL."
            ),
            skipped("Webhook: dilewati, Telegram tidak terhubung."),
        ]
    try:
        identity = ok(f"Telegram ({host}): terhubung sebagai @{bot.username}, token berlaku.")
        info = await bot.get_webhook_info()
    except TelegramError as exc:
        reason = _one_line(exc).replace(token, "<token>")
        return [identity, fail(f"Webhook: getWebhookInfo gagal: {reason}")]
    finally:
        await bot.shutdown()
    state = WebhookState(
        url=info.url,
        pending=info.pending_update_count,
        last_error_at=info.last_error_date,
        last_error=info.last_error_message,
    )
    return [identity, judge_webhook(state, expected=webhook_url, now=now, tz=settings.tz)]


def judge_webhook(
    state: WebhookState, *, expected: str | None, now: datetime, tz: ZoneInfo
) -> Result:
    """Compare the webhook Telegram has with the bot's mode (``expected``: None is polling)."""
    if expected is None and state.url:
        return fail(
            f"Webhook: terpasang ke {state.url}, padahal bot berjalan dengan polling, jadi "
            "pesan tidak sampai ke bot. Pastikan tidak ada salinan lain yang memakai token ini, "
            "lalu mulai ulang bot (saat mulai ia menghapus webhook); bila bot memang memakai "
            f"webhook, jalankan `doctor --webhook {state.url}`."
        )
    if expected is not None and not state.url:
        return fail(
            f"Webhook: belum terpasang, padahal bot dijalankan dengan --webhook {expected}. "
            "Apakah layanannya berjalan (systemctl status lapkin)?"
        )
    if expected is not None and state.url != expected:
        return fail(
            f"Webhook: terpasang ke {state.url}, bukan {expected}. Mulai ulang bot dengan "
            "--webhook yang benar (ia memasangnya sendiri), dan pastikan tidak ada salinan lain "
            "yang memakai token ini."
        )
    mode = f"{state.url}, sesuai" if state.url else "tidak ada, sesuai untuk polling"
    if state.url and state.last_error_at and now - state.last_error_at < WEBHOOK_ERROR_RECENT:
        when = format_datetime(state.last_error_at, tz)
        return warn(
            f"Webhook: {state.url}, tetapi Telegram gagal mengantar pembaruan ({when}): "
            f"{state.last_error or 'tanpa keterangan'}. Periksa proxy (nginx/Caddy), sertifikat "
            "TLS dan /healthz."
        )
    if state.pending >= PENDING_UPDATES_WARN:
        return warn(
            f"Webhook: {mode}, tetapi {state.pending} pembaruan menunggu di Telegram: bot tidak "
            "berjalan atau tertinggal (systemctl status lapkin, journalctl -u lapkin)."
        )
    return ok(f"Webhook: {mode}; {state.pending} pembaruan menunggu di Telegram.")


# ------------------------------------------------------------------------------ outbox


def check_outbox(db: Database, *, now: datetime, tz: ZoneInfo) -> Result:
    """Nothing waits long in the outbox, and few messages failed lately."""
    from bot.services.outbox import FAILED, PENDING, UNDELIVERABLE

    # Messages to people who blocked the bot are held on purpose (bot.services.reachability).
    held_chats = select(Person.telegram_user_id).where(
        col(Person.blocked_at).is_not(None), col(Person.telegram_user_id).is_not(None)
    )
    pending = col(OutboxMessage.status) == PENDING
    since = now - RECENT
    with db.session() as session:
        overdue, oldest = session.exec(
            select(func.count(), func.min(OutboxMessage.next_attempt_at)).where(
                pending,
                col(OutboxMessage.next_attempt_at) < now - BACKLOG_AGE,
                col(OutboxMessage.chat_id).not_in(held_chats),
            )
        ).one()
        held = session.exec(
            select(func.count()).where(pending, col(OutboxMessage.chat_id).in_(held_chats))
        ).one()
        failed = _count_since(session, FAILED, since)
        undeliverable = _count_since(session, UNDELIVERABLE, since)
    lately = f"7 hari terakhir: {failed} gagal, {undeliverable} tak dapat diantar"
    if held:
        lately += f"; {held} ditahan untuk orang yang memblokir bot"
    if overdue:
        minutes = int(BACKLOG_AGE.total_seconds() // 60)
        since_text = f", yang tertua sejak {format_datetime(oldest, tz)}" if oldest else ""
        return fail(
            f"Antrean pesan: {overdue} pesan jatuh tempo lebih dari {minutes} menit lalu dan "
            f"belum terkirim{since_text}. Apakah bot berjalan (systemctl status lapkin, "
            f"journalctl -u lapkin)? ({lately})"
        )
    if failed:
        return warn(
            f"Antrean pesan: tidak ada yang tertunda, tetapi {lately}. Admin sudah diberi "
            "tahu tiap kejadian; sebabnya ada di journalctl -u lapkin."
        )
    return ok(f"Antrean pesan: tidak ada yang tertunda ({lately}).")


def _count_since(session: Session, status: str, since: datetime) -> int:
    return session.exec(
        select(func.count()).where(
            col(OutboxMessage.status) == status, col(OutboxMessage.created_at) >= since
        )
    ).one()


# ------------------------------------------------------------------------------ archive


def check_archive(db: Database, files: FileStore) -> Result:
    """Every archived file is on disk with the checksum it had when archived."""
    from bot.services import archive

    checked, problems = archive.verify(db=db, files=files)
    if problems:
        first = problems[0]
        return fail(
            f"Arsip: {len(problems)} dari {checked} berkas bermasalah (misalnya {first.year} "
            f"{first.name}: {first.problem}). Daftarnya: `python -m bot archive verify`; "
            "pulihkan berkas itu dari cadangan."
        )
    if not checked:
        return ok("Arsip: belum ada berkas yang diarsipkan.")
    return ok(f"Arsip: {checked} berkas, semua checksum SHA-256 cocok.")


# ------------------------------------------------------------------------------ holidays


def national_holidays(year: int) -> Mapping[date, str]:
    """Indonesia's national holidays of ``year`` from the ``holidays`` package, named in Indonesian."""
    import holidays

    return dict(holidays.country_holidays("ID", years=[year], language="id"))


def check_holidays(
    *, today: date, national: Callable[[int], Mapping[date, str]] | None = None
) -> Result:
    """The holiday calendar knows this year and next, with no estimated dates."""
    national = national or national_holidays
    package = _package_version("holidays")
    update = "Perbarui paketnya (`.venv/bin/pip install -U holidays`) lalu mulai ulang bot"
    estimated: list[tuple[date, str]] = []
    for year in (today.year, today.year + 1):
        days = national(year)
        if not days:
            return fail(
                f"Kalender libur: paket holidays {package} tidak mengenal libur nasional "
                f"{year}, jadi batas waktu dihitung tanpa hari libur. {update}."
            )
        estimated += sorted((day, name) for day, name in days.items() if _is_estimate(name))
    if estimated:
        listed = ", ".join(f"{_plain(name)} {format_short_day(day)}" for day, name in estimated)
        return warn(
            f"Kalender libur: {len(estimated)} tanggal masih perkiraan ({listed}). {update} "
            "bila ada versi baru; tanggal resmi yang berbeda (SKB libur nasional dan cuti "
            "bersama) dapat ditulis di days_off berkas organisasi."
        )
    return ok(
        f"Kalender libur: libur nasional {today.year} dan {today.year + 1} lengkap "
        f"(paket holidays {package})."
    )


def _is_estimate(name: str) -> bool:
    lowered = name.lower()
    return "perkiraan" in lowered or "estimated" in lowered


def _plain(name: str) -> str:
    return name.replace(" (perkiraan)", "").replace(" (estimated)", "")


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"
