"""/pk: the Perjanjian Kinerja workbook template rendatin fills in and sends back."""

from __future__ import annotations

from dataclasses import dataclass

from bot import documents
from bot.domain.numbers import whole_number
from bot.domain.roles import Role
from bot.messages import office as messages
from bot.services.common import NOT_RENDATIN, require_role
from bot.services.people import PersonView


@dataclass(frozen=True)
class PkTemplate:
    """The template to send, with its name and caption."""

    workbook: bytes
    filename: str
    caption: str


def pk_template(*, actor: PersonView, asked_year: str | None, this_year: int) -> PkTemplate:
    """Build the template for the year asked (``/pk 2027``), or for this year."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    asked = whole_number(asked_year, lowest=2000, highest=2100) if asked_year else None
    year = asked or this_year
    return PkTemplate(
        workbook=documents.build_pk_template(year),
        filename=messages.pk_template_filename(year),
        caption=messages.pk_template_caption(year),
    )
