"""The command line: ``python -m bot run | migrate | org import/export | invite | people``.

Exit codes: 0 success, 2 bad input (the message names the file, line and field), 1 failure.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy.exc import ArgumentError, DBAPIError
from telegram.error import InvalidToken, NetworkError

from bot import documents
from bot.bot_identity import remembered_username
from bot.cli_language import speak_indonesian
from bot.clock import utc_now
from bot.documents import WorkbookError
from bot.domain.errors import DomainError
from bot.domain.formatting import format_datetime
from bot.domain.invitations import deep_link
from bot.domain.roles import Role
from bot.domain.timezones import office_zone
from bot.instance import InstanceLock, instance_lock
from bot.instance import keep as keep_instance_lock
from bot.logs import configure_logging, install_redaction, quiet_bootstrap_failures
from bot.orgfile import (
    OrganisationFileError,
    dump_organisation,
    load_organisation,
    organisation_files,
)
from bot.services import archive
from bot.services.budget import import_budget
from bot.services.invitations import create_invitation
from bot.services.organisation import ParentProblems, export_organisation, import_organisations
from bot.services.people import find_office, list_people
from bot.services.perjanjian import import_perjanjian_kinerja
from bot.settings import MissingToken, Settings, SettingsFileMissing, load_settings
from bot.startup import CannotStart, database_problem
from storage.db import Database
from storage.files import FileStore
from storage.migrate import upgrade

if TYPE_CHECKING:
    from bot.context import LapkinApplication

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

log = logging.getLogger("bot")


class BadInput(Exception):
    """The command cannot run as given; the message says why."""


def build_parser() -> argparse.ArgumentParser:
    """Describe the commands and their options."""
    speak_indonesian()
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Lapkin: bot Laporan Kinerja (perintah untuk operator)"
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        metavar="FILE",
        help="berkas pengaturan (bawaan: .env di folder proyek, atau $LAPKIN_ENV_FILE)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH")

    run = commands.add_parser("run", help="terapkan migrasi lalu jalankan bot")
    run.add_argument(
        "--webhook",
        metavar="URL",
        help="terima pembaruan lewat webhook di URL https ini (di balik nginx/Caddy) "
        "alih-alih long polling",
    )
    run.add_argument(
        "--listen",
        metavar="ALAMAT",
        default="127.0.0.1",
        help="webhook: alamat yang didengarkan (bawaan 127.0.0.1: hanya proxy di mesin ini)",
    )
    run.add_argument(
        "--port", type=int, default=8080, help="webhook: port HTTP yang didengarkan (bawaan 8080)"
    )

    commands.add_parser("migrate", help="terapkan migrasi basis data")

    org = commands.add_parser("org", help="impor atau ekspor berkas organisasi")
    org_commands = org.add_subparsers(dest="org_command", required=True, metavar="AKSI")
    org_import = org_commands.add_parser(
        "import", help="buat atau perbarui dari berkas YAML (beberapa berkas atau folder: provinsi)"
    )
    org_import.add_argument("files", type=Path, nargs="+", metavar="BERKAS")
    org_export = org_commands.add_parser("export", help="cetak organisasi sebagai YAML")
    org_export.add_argument("--office", help="kode kantor (bila ada beberapa)")
    org_export.add_argument("-o", "--output", type=Path, help="tulis ke berkas ini")

    pk = commands.add_parser(
        "pk", help="Perjanjian Kinerja: impor dari .xlsx atau ambil templatenya"
    )
    pk_commands = pk.add_subparsers(dest="pk_command", required=True, metavar="AKSI")
    pk_import = pk_commands.add_parser("import", help="impor indikator setahun dari .xlsx")
    pk_import.add_argument("file", type=Path, metavar="BERKAS")
    pk_import.add_argument("--year", type=int, required=True, help="tahun")
    pk_import.add_argument("--office", help="kode kantor (bila ada beberapa)")
    pk_template = pk_commands.add_parser("template", help="tulis workbook PK kosong")
    pk_template.add_argument("--year", type=int, required=True, help="tahun")
    pk_template.add_argument("-o", "--output", type=Path, required=True, help="berkas .xlsx")

    invite = commands.add_parser("invite", help="cetak tautan pendaftaran sekali pakai")
    invite.add_argument("nip", help="NIP pegawai")
    invite.add_argument("--office", help="kode kantor (bila ada beberapa)")

    people = commands.add_parser("people", help="daftar pegawai, peran dan status pendaftaran")
    people.add_argument("--office", help="kode kantor (bila ada beberapa)")

    archive = commands.add_parser("archive", help="ekspor atau periksa arsip (langkah 6 SOP)")
    archive_commands = archive.add_subparsers(dest="archive_command", required=True, metavar="AKSI")
    archive_export = archive_commands.add_parser(
        "export", help="tulis arsip setahun sebagai satu zip dengan manifest checksum"
    )
    archive_export.add_argument("--year", type=int, required=True, help="tahun")
    archive_export.add_argument("-o", "--output", type=Path, help="berkas zip (bawaan: ./)")
    archive_export.add_argument("--office", help="kode kantor (bila ada beberapa)")
    archive_verify = archive_commands.add_parser(
        "verify", help="hitung ulang SHA-256 setiap berkas arsip (kode keluar 1 bila ada masalah)"
    )
    archive_verify.add_argument("--year", type=int, help="hanya tahun ini")

    backup = commands.add_parser(
        "backup",
        help="cadangkan basis data dan semua berkas ke satu arsip .zip (boleh saat bot jalan)",
    )
    backup.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="BERKAS",
        help="berkas .zip yang ditulis (atau folder: namanya diberi tanggal)",
    )
    restore = commands.add_parser(
        "restore", help="pulihkan arsip cadangan ke deployment baru yang masih kosong"
    )
    restore.add_argument("archive", type=Path, metavar="BERKAS", help="arsip dari `backup`")

    doctor = commands.add_parser(
        "doctor",
        help="periksa pemasangan: basis data, DATA_DIR, LibreOffice, Telegram, antrean pesan, "
        "arsip, kalender libur (keluar dengan kode 1 bila ada yang gagal)",
    )
    doctor.add_argument(
        "--webhook",
        metavar="URL",
        help="bot berjalan dengan webhook di URL ini (tanpa ini: polling)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.env_file)
    except SettingsFileMissing as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValidationError as exc:
        print(_settings_problem(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    secrets = (
        [settings.telegram_bot_token.get_secret_value()] if settings.telegram_bot_token else []
    )
    configure_logging(settings.log_level, secrets=secrets)
    quiet_bootstrap_failures(settings.log_level)
    try:
        return _dispatch(args, settings)
    except MissingToken as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OrganisationFileError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (BadInput, DomainError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except CannotStart as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILURE
    except InvalidToken:
        print(
            "Telegram menolak TELEGRAM_BOT_TOKEN; periksa tokennya di @BotFather.", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    except NetworkError as exc:  # Telegram (or TELEGRAM_BASE_URL) unreachable at start
        log.debug("Telegram could not be reached", exc_info=True)
        print(
            f"Telegram tidak dapat dihubungi ({exc.message}); periksa koneksi internet mesin ini "
            "atau TELEGRAM_BASE_URL, lalu jalankan lagi.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except (DBAPIError, ArgumentError) as exc:
        log.debug("the database failed", exc_info=True)  # LOG_LEVEL=DEBUG shows the traceback
        print(database_problem(exc, settings.effective_database_url), file=sys.stderr)
        return EXIT_FAILURE


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        return _run(args, settings)
    if args.command == "doctor":
        return _doctor(args, settings)
    if args.command in ("backup", "restore"):  # before migrating: a backup changes nothing
        from bot import backup

        return backup.command(args, settings)
    db = Database(settings.effective_database_url)
    try:
        upgrade(db.url)
        if args.command == "migrate":
            print("Basis data sudah mutakhir.")
        elif args.command == "org" and args.org_command == "import":
            _org_import(args.files, db, default_logo=settings.logo_file)
        elif args.command == "pk":
            _pk(args, db)
        elif args.command == "org":
            _export(args, db)
        elif args.command == "invite":
            _invite(args, settings, db)
        elif args.command == "people":
            _people(args, settings, db)
        elif args.command == "archive":
            return _archive(args, settings, db)
        return EXIT_OK
    finally:
        db.dispose()


def _org_import(paths: Sequence[Path], db: Database, *, default_logo: Path | None) -> None:
    """Import one office, or a province: several files or folders, parents first."""
    files = organisation_files(paths)
    specs = [load_organisation(path, default_logo=default_logo) for path in files]
    try:
        reports = import_organisations(db=db, specs=specs, now=utc_now())
    except ParentProblems as exc:
        raise BadInput(
            "\n".join(f"{files[index]}: office.induk: {message}" for index, message in exc.problems)
        ) from None
    for spec, report in zip(specs, reports, strict=True):
        print(report.summary())
        office_id = find_office(db=db, office_code=spec.office.code).id
        for year in spec.perjanjian_kinerja:
            pk_report = import_perjanjian_kinerja(
                db=db, office_id=office_id, pk=year.to_domain(), now=utc_now(), actor="cli"
            )
            print(pk_report.summary())
        for budget_year in spec.anggaran:
            print(
                import_budget(
                    db=db,
                    office_id=office_id,
                    year=budget_year.year,
                    lines=budget_year.to_domain(),
                    now=utc_now(),
                    actor="cli",
                )
            )


def _run(args: argparse.Namespace, settings: Settings) -> int:
    settings.bot_token()  # fail early, before touching the database
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Held until the process ends; a second copy stops here, before migrating or polling.
    with instance_lock(settings.effective_database_url) as lock:
        _run_locked(args, settings, lock)
    return EXIT_FAILURE if lock.lost else EXIT_OK


def _run_locked(args: argparse.Namespace, settings: Settings, lock: InstanceLock) -> None:
    from bot.app import build_application
    from bot.ratelimit import Pacing

    upgrade(Database(settings.effective_database_url).url)
    print(f"Folder data: {settings.data_dir}", flush=True)
    application = build_application(settings, pacing=Pacing(speed=settings.telegram_time_scale))
    keep_instance_lock(application, lock)
    if args.webhook:
        from bot.webhook import run_webhook, webhook_secret

        secret = webhook_secret(settings)
        install_redaction(logging.getLogger().handlers, secrets=[secret])
        run_webhook(
            application, url=args.webhook, listen=args.listen, port=args.port, secret=secret
        )
    else:
        if settings.health_port is not None:
            _serve_health(application, settings)
        application.run_polling()


def _serve_health(application: LapkinApplication, settings: Settings) -> None:
    from bot.webserver import serve_health_beside

    assert settings.health_port is not None
    try:
        serve_health_beside(application, listen=settings.health_listen, port=settings.health_port)
    except OSError as exc:
        raise CannotStart(
            f"HEALTH_PORT {settings.health_port} di {settings.health_listen} tidak dapat dipakai "
            f"({exc.strerror}); pilih port lain atau kosongkan HEALTH_PORT"
        ) from None


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    # Before any migration: the doctor reports a database that is behind, it does not fix it.
    from bot import doctor

    text, healthy = doctor.report(doctor.examine(settings, webhook_url=args.webhook, now=utc_now()))
    print(text)
    return EXIT_OK if healthy else EXIT_FAILURE


def _archive(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    files = FileStore(settings.data_dir)
    if args.archive_command == "export":
        office_id = find_office(db=db, office_code=args.office).id
        target = args.output or Path(f"arsip-lkjip-{args.year}.zip")
        count = archive.export_year(
            db=db, files=files, office_id=office_id, year=args.year, target=target
        )
        print(f"{target}: {count} berkas dan {archive.MANIFEST}")
        return EXIT_OK
    checked, problems = archive.verify(db=db, files=files, year=args.year)
    for problem in problems:
        print(f"{problem.year}  {problem.name}: {problem.problem}", file=sys.stderr)
    print(f"{checked} berkas arsip diperiksa, {len(problems)} masalah.")
    return EXIT_FAILURE if problems else EXIT_OK


def _pk(args: argparse.Namespace, db: Database) -> None:
    if args.pk_command == "template":
        args.output.write_bytes(documents.build_pk_template(args.year))
        print(f"Ditulis ke {args.output}.")
        return
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise BadInput(f"{args.file}: tidak dapat dibaca: {exc.strerror}") from None
    office = find_office(db=db, office_code=args.office)
    try:
        pk = documents.parse_pk_workbook(data, year=args.year, unit_codes=list(office.unit_codes))
    except WorkbookError as exc:
        raise BadInput(
            "\n".join(f"{args.file}: {line}" for line in exc.report().splitlines())
        ) from None
    report = import_perjanjian_kinerja(
        db=db, office_id=office.id, pk=pk, now=utc_now(), actor="cli"
    )
    print(report.summary())


def _export(args: argparse.Namespace, db: Database) -> None:
    text = dump_organisation(
        export_organisation(db=db, office_code=find_office(db=db, office_code=args.office).code)
    )
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Ditulis ke {args.output}.")
    else:
        print(text, end="")


def _invite(args: argparse.Namespace, settings: Settings, db: Database) -> None:
    username = settings.bot_username or remembered_username(settings.data_dir)
    if username is None:
        username = asyncio.run(_bot_username(settings, settings.bot_token()))
    invitation = create_invitation(
        db=db,
        nip=args.nip,
        now=utc_now(),
        valid_days=settings.invitation_valid_days,
        created_by="cli",
        office_code=args.office,
    )
    office = find_office(db=db, office_code=args.office)
    tz = office_zone(office.timezone, settings.tz)
    print(f"Undangan untuk {invitation.person_name} (NIP {invitation.nip}),")
    print(f"berlaku sampai {format_datetime(invitation.expires_at, tz)}, sekali pakai:")
    print(deep_link(username, invitation.token))


async def _bot_username(settings: Settings, token: str) -> str:
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    bot = Bot(token, base_url=settings.telegram_base_url)
    try:
        async with bot:
            return bot.username
    except InvalidToken:
        raise BadInput(
            "Telegram menolak TELEGRAM_BOT_TOKEN; periksa tokennya di @BotFather."
        ) from None
    except TelegramError:
        raise BadInput(
            "Telegram tidak dapat dihubungi untuk membaca nama bot. Isi BOT_USERNAME di .env "
            "(nama bot tanpa @), atau jalankan bot sekali saat ada internet."
        ) from None


def _people(args: argparse.Namespace, settings: Settings, db: Database) -> None:
    office = find_office(db=db, office_code=args.office)
    everyone = list_people(db=db, office_id=office.id)
    tz = office_zone(office.timezone, settings.tz)
    print(f"{office.name}: {len(everyone)} pegawai")
    print(f"{'NIP':<20} {'Nama':<34} {'Unit':<10} {'Peran':<28} Status")
    for person in everyone:
        roles = ",".join(role.value for role in Role if role in person.roles)
        if not person.active:
            status = "nonaktif"
        elif person.registered_at is not None:
            status = f"terdaftar {format_datetime(person.registered_at, tz)}"
        else:
            status = "belum terdaftar"
        name = person.name if len(person.name) <= 34 else person.name[:33] + "…"
        print(f"{person.nip:<20} {name:<34} {person.unit_code or '-':<10} {roles:<28} {status}")


def _settings_problem(exc: ValidationError) -> str:
    problems = "; ".join(
        # A rule between settings (no field of its own) names them in its message.
        f"{field}: {error['msg']}" if (field := _field_name(error["loc"])) else error["msg"]
        for error in exc.errors()
    )
    return f"Pengaturan tidak valid (perbaiki di .env atau lingkungan): {problems}"


def _field_name(location: Sequence[object]) -> str:
    return ".".join(str(part) for part in location).upper()
