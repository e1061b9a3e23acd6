"""What a sent cycle opens for each unit: a line per indicator, the unit's entry template,
the Rencana Aksi rows, and the messages to its members and its group."""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot import documents
from bot.domain.dates import format_short_day
from bot.domain.files import XLSX_MIME
from bot.domain.periods import Period
from bot.messages import cycles as messages
from bot.services.common import (
    registered,
    responsible_text,
    store_many,
)
from bot.services.nota_dinas import Letter, target_text
from bot.services.outbox import message_row
from storage.files import FileStore
from storage.models import (
    Cycle,
    CycleIndicator,
    Indicator,
    Office,
    Person,
    Sasaran,
    TelegramGroup,
    Unit,
)

Grouped = list[tuple[int, list[Indicator]]]  # (unit id, its indicators), by unit id


def open_lines(
    session: Session,
    files: FileStore,
    *,
    cycle: Cycle,
    office: Office,
    grouped: Grouped,
    units: dict[int | None, Unit],
    people: dict[int, list[Person]],
    now: datetime,
) -> tuple[list[documents.RencanaAksiRow], list[str]]:
    """Open a line per indicator, store each unit's entry template; return the Rencana Aksi
    rows and the templates' paths (in the order of ``grouped``)."""
    assert cycle.id is not None
    period = Period(cycle.period)
    period_label = messages.period_label(period, cycle.year)
    names = _sasaran_names(session, office_id=cycle.office_id, year=cycle.year)
    line_rows: list[dict[str, Any]] = []
    rencana_rows: list[documents.RencanaAksiRow] = []
    workbooks: list[tuple[bytes, str]] = []
    for unit_id, indicators in grouped:
        unit = units[unit_id]
        responsible = responsible_text(people.get(unit_id, []))
        for indicator in indicators:
            line_rows.append(
                {
                    "cycle_id": cycle.id,
                    "indicator_id": indicator.id,
                    "unit_id": unit_id,
                    "responsible": responsible,
                    "deadline": cycle.deadline,
                }
            )
            rencana_rows.append(
                documents.RencanaAksiRow(
                    unit_name=unit.name,
                    indicator_code=indicator.code,
                    indicator_name=indicator.name,
                    responsible=responsible or "-",
                    deadline=cycle.deadline,
                    status=messages.NOT_ENTERED_YET,
                )
            )
        workbook = documents.build_entry_workbook(
            documents.EntryWorkbookMeta(
                office_code=office.code,
                office_name=office.name,
                unit_code=unit.code,
                unit_name=unit.name,
                year=cycle.year,
                period=period.value,
                period_label=period_label,
                cycle_id=cycle.id,
                deadline=cycle.deadline,
            ),
            [
                documents.EntryTemplateRow(
                    code=i.code,
                    sasaran=names.get(i.sasaran_id, ""),
                    name=i.name,
                    satuan=i.satuan,
                    target_text=target_text(i),
                    evidence_required=i.evidence_required,
                )
                for i in indicators
            ],
        )
        workbooks.append((workbook, XLSX_MIME))
    session.execute(insert(CycleIndicator), line_rows)
    return rencana_rows, store_many(session, files, workbooks, now=now)


def unit_requests(
    *,
    cycle: Cycle,
    letter: Letter,
    grouped: list[tuple[tuple[int, list[Indicator]], str]],
    units: dict[int | None, Unit],
    people: dict[int, list[Person]],
    groups: dict[int, list[TelegramGroup]],
    bot_username: str,
    now: datetime,
) -> tuple[list[dict[str, Any]], int]:
    """The messages to every unit's members and groups; return them and how many people."""
    assert cycle.id is not None
    queued: list[dict[str, Any]] = []
    recipients = 0
    caption = messages.nota_dinas_caption(letter.nomor)
    for (unit_id, indicators), template_path in grouped:
        unit = units[unit_id]
        listing = messages.unit_request(
            unit_name=unit.name,
            period_label=letter.period_label,
            nomor=letter.nomor,
            deadline_text=format_short_day(cycle.deadline),
            indicators=[(i.code, i.name, target_text(i)) for i in indicators],
        )
        start_button = messages.start_entry_keyboard(cycle.id)
        for member in registered(people.get(unit_id, [])):
            assert member.telegram_user_id is not None
            to_member = functools.partial(
                message_row,
                chat_id=member.telegram_user_id,
                now=now,
                person_id=member.id,
                office_id=cycle.office_id,
            )
            queued.append(
                to_member(
                    document_path=letter.docx.path, document_name=letter.filename, text=caption
                )
            )
            if letter.pdf is not None:
                queued.append(
                    to_member(
                        document_path=letter.pdf.path,
                        document_name=letter.filename.removesuffix(".docx") + ".pdf",
                        text=messages.nota_dinas_caption(letter.nomor, pdf=True),
                    )
                )
            queued.append(to_member(text=listing, keyboard=start_button))
            queued.append(
                to_member(
                    document_path=template_path,
                    document_name=messages.entry_workbook_filename(
                        unit_code=unit.code, period_label=letter.period_label
                    ),
                    text=messages.TEMPLATE_CAPTION,
                )
            )
            recipients += 1
        for group in groups.get(unit_id, []):
            to_group = functools.partial(
                message_row, chat_id=group.chat_id, now=now, office_id=cycle.office_id
            )
            queued.append(
                to_group(
                    document_path=letter.docx.path, document_name=letter.filename, text=caption
                )
            )
            queued.append(
                to_group(
                    text=messages.group_request(listing),
                    keyboard=messages.group_keyboard(bot_username),
                )
            )
    return queued, recipients


def _sasaran_names(session: Session, *, office_id: int, year: int) -> dict[int, str]:
    query = select(Sasaran).where(Sasaran.office_id == office_id, Sasaran.year == year)
    return {sasaran.id: sasaran.name for sasaran in session.exec(query) if sasaran.id}


def groups_by_unit(session: Session, *, office_id: int) -> dict[int, list[TelegramGroup]]:
    by_unit: dict[int, list[TelegramGroup]] = defaultdict(list)
    query = select(TelegramGroup).where(TelegramGroup.office_id == office_id)
    for group in session.exec(query.order_by(col(TelegramGroup.id))):
        if group.unit_id is not None:
            by_unit[group.unit_id].append(group)
    return by_unit
