"""/pk and /anggaran: the blank workbooks rendatin fills in and sends back to the bot."""

from __future__ import annotations

from dataclasses import dataclass

from bot import documents
from bot.domain.numbers import whole_number
from bot.domain.roles import Role
from bot.messages import office as messages
from bot.services.common import NOT_RENDATIN, require_role
from bot.services.people import PersonView


@dataclass(frozen=True)
class Template:
    """The template to send, with its name and caption."""

    workbook: bytes
    filename: str
    caption: str


def pk_template(*, actor: PersonView, asked_year: str | None, this_year: int) -> Template:
    """Build the Perjanjian Kinerja template for the year asked (``/pk 2027``), or this year."""
    year = _year(actor, asked_year, this_year)
    return Template(
        workbook=documents.build_pk_template(year),
        filename=messages.pk_template_filename(year),
        caption=messages.pk_template_caption(year),
    )


def budget_template(*, actor: PersonView, asked_year: str | None, this_year: int) -> Template:
    """Build the budget template (program, kegiatan, pagu, realisasi) for the year asked."""
    year = _year(actor, asked_year, this_year)
    return Template(
        workbook=documents.build_budget_template(year),
        filename=messages.budget_template_filename(year),
        caption=messages.BUDGET_TEMPLATE_CAPTION,
    )


def _year(actor: PersonView, asked_year: str | None, this_year: int) -> int:
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    asked = whole_number(asked_year, lowest=2000, highest=2100) if asked_year else None
    return asked or this_year
