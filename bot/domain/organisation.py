"""The organisation file's content: office, units, people and the office's own rules.

These models validate every field with a message a person can act on; the YAML loader
(bot.orgfile) adds the file name and line number to each message.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from pathlib import PurePath
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.domain.approval_route import ReviewStageSpec, route_problems
from bot.domain.budget import unknown_sasaran, unknown_sasaran_message
from bot.domain.category_scale import CategoryBand
from bot.domain.pk_spec import BudgetYearEntry, PkYearEntry
from bot.domain.renstra_spec import RenstraEntry
from bot.domain.roles import Role, parse_role
from bot.domain.timezones import zone_label

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

# A NIP (Nomor Induk Pegawai) has 18 digits; PPPK and honorary staff may have other numbers,
# so we accept 8-20 digits and let spaces in (people write "19850101 201001 1 001").
NIP_PATTERN = re.compile(r"^\d{8,20}$")

LETTER_NUMBER_FIELDS = {"seq", "classification", "type", "region", "unit", "year"}

OFFICE_CODE = r"^[a-z0-9][a-z0-9-]{1,63}$"

WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfficeSpec(_Strict):
    """The office itself: letterhead data and the office it reports to."""

    code: Annotated[str, StringConstraints(pattern=OFFICE_CODE)]
    name: Text
    city: Text
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    region_code: Annotated[str, StringConstraints(pattern=r"^\d{2,6}$")]
    parent_office: Text
    # The office's own deployment settings (absent: the deployment's, bot/settings.py). They
    # are kept in office.settings, not in the office's columns (OFFICE_SETTINGS).
    timezone: str | None = None  # WIB, WITA or WIT: every time shown, every reminder
    admin_chat_id: int | None = None  # the chat that receives the office's alerts
    templates_dir: str | None = None  # the office's own .docx templates (an absolute path)
    # The code of the office this one reports to when both run in one deployment (a
    # kabupaten/kota naming its KPU Provinsi): its provinsi people receive this office's
    # report and its /pantau shows this office's cycle.
    induk: Annotated[str, StringConstraints(pattern=OFFICE_CODE)] | None = None
    # The signature-and-stamp image (PNG/JPEG) placed on the signed report instead of a typed
    # "ttd."; a path on the server, relative to the organisation file's folder.
    tanda_tangan: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = None
    # The full name on the LKjIP's cover and in its headings; absent: made from ``name``.
    full_name: Text | None = None
    # The logo for the LKjIP's cover: an image file, relative to the organisation file.
    logo: Text | None = None

    @property
    def display_name(self) -> str:
        """The full name, e.g. "Sekretariat Komisi Pemilihan Umum Kota Bengkulu"."""
        return self.full_name or full_office_name(self.name)

    @field_validator("region_code", mode="before")
    @classmethod
    def _region_code_as_text(cls, value: object) -> object:
        # YAML reads 1771 as a number; the code is text (it may start with 0).
        return str(value) if isinstance(value, int) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else zone_label(value)

    @field_validator("templates_dir")
    @classmethod
    def _absolute_folder(cls, value: str | None) -> str | None:
        if value is not None and not PurePath(value).is_absolute():
            raise ValueError("templates_dir must be an absolute path (e.g. /srv/lapkin/kop)")
        return value


# The fields of ``office:`` that are settings of the office rather than its letterhead.
OFFICE_SETTINGS = ("timezone", "admin_chat_id", "templates_dir")


def full_office_name(name: str) -> str:
    """Spell out a short office name: "KPU Kota Bengkulu" → "Sekretariat Komisi Pemilihan
    Umum Kota Bengkulu"; any other name is kept as it is."""
    if name.startswith("KPU "):
        return f"Sekretariat Komisi Pemilihan Umum {name.removeprefix('KPU ')}"
    return name


class UnitSpec(_Strict):
    """A Sub Bagian: short code, full name, numeric code used in letter numbers."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")]
    name: Text
    number: int = Field(ge=0, le=9999)


class PersonSpec(_Strict):
    """A person: identified by NIP, with a jabatan, an optional unit and their roles."""

    nip: str
    name: Text
    jabatan: Text
    unit: str | None = None
    roles: tuple[Role, ...] = Field(min_length=1)

    @field_validator("nip", mode="before")
    @classmethod
    def _clean_nip(cls, value: object) -> str:
        text = str(value).replace(" ", "") if isinstance(value, int | str) else ""
        if not NIP_PATTERN.match(text):
            raise ValueError("NIP must be 8 to 20 digits")
        return text

    @field_validator("roles", mode="before")
    @classmethod
    def _parse_roles(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise ValueError("roles must be a list, e.g. [staf] or [kasubbag, rendatin]")
        return tuple(parse_role(str(item)) for item in value)


def _pattern_problem(value: str) -> str | None:
    """Say what is wrong with a letter-number pattern, or None."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name}
    except ValueError as exc:
        return f"pattern is not a valid template: {exc}"
    unknown = names - LETTER_NUMBER_FIELDS
    if unknown:
        allowed = ", ".join("{" + n + "}" for n in sorted(LETTER_NUMBER_FIELDS))
        return f"unknown field(s) {sorted(unknown)}; allowed: {allowed}"
    if "seq" not in names:
        return "pattern must contain {seq}, or every letter gets the same number"
    return None


class LetterKind(StrEnum):
    """The letters Lapkin numbers: each may have its own classification, code and sequence."""

    NOTA_DINAS = "nota_dinas"  # SOP step 1, signed by the Ketua Tim
    SURAT_PENGANTAR = "surat_pengantar"  # SOP step 5, signed by the Sekretaris


@dataclass(frozen=True)
class LetterFormat:
    """How one kind of letter is numbered, the office's defaults filled in."""

    pattern: str
    classification: str
    type: str  # the document-type code, e.g. "ND"; "" when the office uses none
    sequence: str  # letters whose sequence names are equal share one run of numbers
    unit: str | None  # a fixed unit code (e.g. "Sek"); None: the signing unit's number


class LetterKindSpec(_Strict):
    """One kind's own numbering; what it leaves out comes from ``letter_number`` itself."""

    pattern: str | None = None
    classification: str | None = Field(default=None, min_length=1, max_length=32)
    type: str = Field(default="", max_length=16)
    # A name of the office's choosing; kinds with the same name share their numbers.
    # Default: the classification, so kinds of one classification share (as before).
    sequence: str | None = Field(default=None, min_length=1, max_length=32)
    unit: str | None = Field(default=None, min_length=1, max_length=16)

    @field_validator("pattern")
    @classmethod
    def _known_fields(cls, value: str | None) -> str | None:
        problem = _pattern_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value


class LetterNumberSpec(_Strict):
    """How letter numbers are written; SOP 7/ORT.06/1771/3/2023 is the default shape.

    ``pattern`` and ``classification`` are every kind's defaults; ``kinds`` gives a kind
    its own (KPU's "12/PR.01-ND/..." for a Nota Dinas: classification PR.01, type ND).
    """

    pattern: str = "{seq}/{classification}/{region}/{unit}/{year}"
    classification: str = "ORT.06"
    kinds: dict[LetterKind, LetterKindSpec] = Field(default_factory=dict)

    @field_validator("pattern")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        problem = _pattern_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _type_where_the_pattern_asks(self) -> LetterNumberSpec:
        for kind in LetterKind:
            letter = self.format_of(kind)
            if "{type" in letter.pattern and not letter.type:
                raise ValueError(
                    f"the pattern of {kind.value} uses {{type}}, but {kind.value} has no type "
                    f"(e.g. kinds: {{{kind.value}: {{type: ND}}}})"
                )
        return self

    def format_of(self, kind: LetterKind) -> LetterFormat:
        """Return how ``kind`` is numbered, with the office's defaults filled in."""
        own = self.kinds.get(kind, LetterKindSpec())
        classification = own.classification or self.classification
        return LetterFormat(
            pattern=own.pattern or self.pattern,
            classification=classification,
            type=own.type,
            sequence=own.sequence or classification,
            unit=own.unit,
        )


def _default_scale() -> tuple[CategoryBand, ...]:
    return (
        CategoryBand(min=91, label="Sangat Baik"),
        CategoryBand(min=76, label="Baik"),
        CategoryBand(min=66, label="Cukup"),
        CategoryBand(min=51, label="Kurang"),
        CategoryBand(min=0, label="Sangat Kurang"),
    )


class OfficeHoursSpec(_Strict):
    """Working days and hours, plus the office's own days off (cuti bersama)."""

    days: tuple[str, ...] = ("senin", "selasa", "rabu", "kamis", "jumat")
    start: time = time(7, 30)
    end: time = time(16, 0)
    days_off: tuple[date, ...] = ()

    @field_validator("days", mode="before")
    @classmethod
    def _weekday_names(cls, value: object) -> object:
        if not isinstance(value, list | tuple):
            raise ValueError("days must be a list such as [senin, selasa, rabu, kamis, jumat]")
        cleaned = tuple(str(day).strip().lower().replace("'", "") for day in value)
        unknown = [day for day in cleaned if day not in WEEKDAYS]
        if unknown:
            raise ValueError(f"unknown day(s) {unknown}; use {', '.join(WEEKDAYS)}")
        return cleaned

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock_time(cls, value: object) -> object:
        # YAML 1.1 reads 07:30 unquoted as the sexagesimal number 450.
        if isinstance(value, int):
            return time(value // 60, value % 60)
        return value

    @model_validator(mode="after")
    def _start_before_end(self) -> OfficeHoursSpec:
        if self.start >= self.end:
            raise ValueError("office hours must start before they end")
        return self


class ReminderSpec(_Strict):
    """When reminders go out: the organisation file's ``pengingat:`` section.

    Days are working days; minutes are office minutes (inside office hours, on working days).
    """

    # The daily reminders to units and reviewers go out at this time (WIB).
    daily_time: time = time(9, 0)
    # Working days before the deadline with a reminder; the deadline day itself always has one.
    days_before: tuple[int, ...] = (3, 1)
    # From this overdue working day on, the unit's Kasubbag is reminded too.
    escalate_from_overdue_day: int = Field(default=2, ge=1, le=30)
    # The SOP's time standards for initialling (step 3) and signing (step 4).
    kasubbag_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    sekretaris_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)
    # Meeting reminders: on the working day(s) before, and this many minutes before it starts.
    meeting_days_before: int = Field(default=1, ge=0, le=10)
    meeting_minutes_before: int = Field(default=60, ge=0, le=24 * 60)
    # The morning digest for those who asked for it (/ringkasan).
    digest_time: time = time(7, 30)

    @field_validator("daily_time", "digest_time", mode="before")
    @classmethod
    def _clock_time(cls, value: object) -> object:
        # YAML 1.1 reads 09:00 unquoted as the sexagesimal number 540.
        if isinstance(value, int):
            return time(value // 60, value % 60)
        return value

    @field_validator("days_before")
    @classmethod
    def _positive_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(day < 1 or day > 30 for day in value):
            raise ValueError("days_before must list working days from 1 to 30, e.g. [3, 1]")
        return tuple(sorted(set(value), reverse=True))


class SubmissionDeadlineSpec(_Strict):
    """When the signed report must reach KPU Provinsi: the ``batas_kirim:`` section.

    ``tahunan`` is a day of the year after the reporting year ("MM-DD"); ``triwulan_hari``
    counts calendar days after the quarter's last day.
    """

    tahunan: str = "01-31"
    triwulan_hari: int = Field(default=10, ge=0, le=90)

    @field_validator("tahunan")
    @classmethod
    def _month_day(cls, value: str) -> str:
        try:
            date.fromisoformat(f"2001-{value}")
        except ValueError:
            raise ValueError(f"'{value}' is not a day of the year written as MM-DD") from None
        return value


class OrganisationSpec(_Strict):
    """The whole organisation file."""

    office: OfficeSpec
    units: tuple[UnitSpec, ...] = Field(min_length=1)
    people: tuple[PersonSpec, ...] = ()
    letter_number: LetterNumberSpec = LetterNumberSpec()
    category_scale: tuple[CategoryBand, ...] = Field(default_factory=_default_scale)
    office_hours: OfficeHoursSpec = OfficeHoursSpec()
    perjanjian_kinerja: tuple[PkYearEntry, ...] = ()
    anggaran: tuple[BudgetYearEntry, ...] = ()
    # The five-year plan the yearly Perjanjian Kinerja follow (LKjIP Bab II and III.A).
    renstra: RenstraEntry | None = None
    # The units whose Kasubbag initial the draft report (SOP step 3); empty means every unit.
    pemaraf: tuple[str, ...] = ()
    # The review route's stages (bot/domain/approval_route.py); empty: the pemaraf, then the
    # Sekretaris.
    review_route: tuple[ReviewStageSpec, ...] = ()
    pengingat: ReminderSpec = ReminderSpec()
    batas_kirim: SubmissionDeadlineSpec = SubmissionDeadlineSpec()

    @field_validator("category_scale")
    @classmethod
    def _scale_is_complete(cls, bands: tuple[CategoryBand, ...]) -> tuple[CategoryBand, ...]:
        if not bands:
            raise ValueError("the category scale needs at least one band")
        ordered = tuple(sorted(bands, key=lambda band: band.min, reverse=True))
        if ordered[-1].min != 0:
            raise ValueError("the lowest band must start at min: 0, so every capaian has one")
        minimums = [band.min for band in ordered]
        if len(set(minimums)) != len(minimums):
            raise ValueError("two bands start at the same min")
        return ordered

    def unit_named(self, code: str) -> UnitSpec:
        """Return the unit with ``code``."""
        return next(unit for unit in self.units if unit.code == code)


Location = tuple[str | int, ...]


def reference_problems(spec: OrganisationSpec) -> list[tuple[Location, str]]:
    """List the cross-reference problems (duplicates, unknown units), each with its field."""
    problems: list[tuple[Location, str]] = []
    if spec.office.induk == spec.office.code:
        problems.append((("office", "induk"), "an office cannot be its own parent (induk)"))
    unit_codes = [unit.code for unit in spec.units]
    for index, unit in enumerate(spec.units):
        if unit.code in unit_codes[:index]:
            problems.append((("units", index, "code"), f"unit code '{unit.code}' appears twice"))
        if unit.number in [other.number for other in spec.units[:index]]:
            problems.append(
                (("units", index, "number"), f"unit number {unit.number} appears twice")
            )
    nips = [person.nip for person in spec.people]
    for index, person in enumerate(spec.people):
        if person.nip in nips[:index]:
            problems.append((("people", index, "nip"), f"NIP {person.nip} appears twice"))
        if person.unit is not None and person.unit not in unit_codes:
            problems.append(
                (
                    ("people", index, "unit"),
                    f"unit '{person.unit}' is not among the units ({', '.join(unit_codes)})",
                )
            )
        needs_unit = sorted(role.value for role in {Role.STAF, Role.KASUBBAG} & set(person.roles))
        if needs_unit and person.unit is None:
            problems.append(
                (("people", index, "unit"), f"a person with role {needs_unit} needs a unit")
            )
    for index, code in enumerate(spec.pemaraf):
        if code not in unit_codes:
            problems.append(
                (
                    ("pemaraf", index),
                    f"unit '{code}' is not among the units ({', '.join(unit_codes)})",
                )
            )
    problems += route_problems(
        spec.review_route, unit_codes=unit_codes, nips=nips, pemaraf=spec.pemaraf
    )
    for year_index, year in enumerate(spec.perjanjian_kinerja):
        codes: list[str] = []
        for index, entry in enumerate(year.indicators):
            where = ("perjanjian_kinerja", year_index, "indicators", index)
            if entry.unit not in unit_codes:
                problems.append(((*where, "unit"), f"unit '{entry.unit}' is not among the units"))
            if entry.code in codes:
                problems.append(((*where, "code"), f"indicator {entry.code} appears twice"))
            codes.append(entry.code)
    budget_years: list[int] = []
    for year_index, budget in enumerate(spec.anggaran):
        if budget.year in budget_years:
            problems.append(
                (("anggaran", year_index, "year"), f"the budget for {budget.year} appears twice")
            )
        budget_years.append(budget.year)
        lines: list[tuple[str, str]] = []
        pk_sasaran = _pk_sasaran(spec, budget.year)
        for index, line in enumerate(budget.lines):
            unknown = unknown_sasaran(line.sasaran, pk_sasaran) if pk_sasaran else []
            if unknown:
                problems.append(
                    (
                        ("anggaran", year_index, "lines", index, "sasaran"),
                        unknown_sasaran_message(unknown, pk_sasaran, budget.year),
                    )
                )
            key = (line.program.casefold(), line.kegiatan.casefold())
            if key in lines:
                problems.append(
                    (
                        ("anggaran", year_index, "lines", index, "kegiatan"),
                        f"kegiatan '{line.kegiatan}' of '{line.program}' appears twice",
                    )
                )
            lines.append(key)
    return problems


def _pk_sasaran(spec: OrganisationSpec, year: int) -> list[str]:
    """Return the sasaran codes of the file's Perjanjian Kinerja for ``year`` ([] if none)."""
    codes = [
        entry.sasaran_code
        for pk in spec.perjanjian_kinerja
        if pk.year == year
        for entry in pk.indicators
    ]
    return list(dict.fromkeys(codes))


def parent_problems(
    offices: Sequence[tuple[str, str | None]], *, stored: Mapping[str, str | None]
) -> list[tuple[int, str]]:
    """List what is wrong with the parents (``induk``) of offices imported together.

    ``offices`` are the imported (code, induk) pairs in file order; ``stored`` maps the codes
    already in the database to their parent's code. Each problem names the index of the
    office it belongs to: a code imported twice, an unknown parent, or a chain of parents
    that comes back to the office.
    """
    problems: list[tuple[int, str]] = []
    parents = dict(stored)
    seen: list[str] = []
    for index, (code, induk) in enumerate(offices):
        if code in seen:
            problems.append((index, f"office '{code}' is imported twice"))
        seen.append(code)
        parents[code] = induk
    for index, (code, induk) in enumerate(offices):
        if induk is None or induk == code:
            continue  # no parent, or reported by reference_problems
        if induk not in parents:
            problems.append(
                (index, f"parent office '{induk}' is neither in this import nor in the database")
            )
            continue
        chain = [code]
        current: str | None = induk
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        if current == code:
            problems.append((index, "the parents form a cycle: " + " → ".join([*chain, code])))
    return problems


def parents_first(offices: Sequence[tuple[str, str | None]]) -> list[int]:
    """Order the indexes of imported (code, induk) pairs so every parent precedes its children.

    Offices keep their file order otherwise; a parent outside the import (already stored)
    puts no constraint. Assumes ``parent_problems`` found nothing (no cycle).
    """
    index_of = {code: index for index, (code, _) in enumerate(offices)}
    placed: set[int] = set()
    order: list[int] = []

    def place(index: int) -> None:
        if index in placed:
            return
        placed.add(index)
        induk = offices[index][1]
        if induk is not None and induk in index_of:
            place(index_of[induk])
        order.append(index)

    for index in range(len(offices)):
        place(index)
    return order


def category_for(capaian: float, scale: tuple[CategoryBand, ...]) -> str:
    """Return the label of the band ``capaian`` (percent) falls in; scale is ordered high→low."""
    for band in scale:
        if capaian >= band.min:
            return band.label
    return scale[-1].label
