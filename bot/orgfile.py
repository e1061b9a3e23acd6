"""Read and write the organisation file (YAML), reporting problems by file, line and field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.domain.organisation import Location, OrganisationSpec, reference_problems
from bot.domain.performance import Target
from bot.domain.pk_spec import target_as_written


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file."""

    line: int | None
    field: str
    message: str


class OrganisationFileError(Exception):
    """The organisation file cannot be used; ``problems`` says where and why."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        """Render the problems one per line as ``file:line: field: message``."""
        lines = []
        for problem in self.problems:
            where = f"{self.path}:{problem.line}" if problem.line else self.path
            field = f" {problem.field}:" if problem.field else ""
            lines.append(f"{where}:{field} {problem.message}")
        return "\n".join(lines)


def load_organisation(path: Path, *, default_logo: Path | None = None) -> OrganisationSpec:
    """Parse and validate the organisation file at ``path``.

    ``office.logo`` is read relative to the file's folder (``default_logo``, the LOGO_FILE
    setting, when the file names none) and must be an image Word can show; the spec returned
    names it by its full path, for the import to read.
    """
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OrganisationFileError(name, [Problem(None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OrganisationFileError(name, [Problem(None, "", f"cannot read: {exc}")]) from None
    spec = parse_organisation(text, name=name)
    image = spec.office.tanda_tangan
    if image is not None and not Path(image).is_absolute():
        # Kept as an absolute path: the bot reads it when a report is signed.
        office = spec.office.model_copy(
            update={"tanda_tangan": str((path.parent / image).resolve())}
        )
        spec = spec.model_copy(update={"office": office})
    logo = (path.parent / spec.office.logo) if spec.office.logo else default_logo
    if logo is None:
        return spec
    problem = logo_problem(logo)
    if problem:
        line = _line_of(_line_index(yaml.compose(text, Loader=yaml.SafeLoader)), ("office", "logo"))
        raise OrganisationFileError(name, [Problem(line, "office.logo", problem)])
    office = spec.office.model_copy(update={"logo": str(logo.resolve())})
    return spec.model_copy(update={"office": office})


def organisation_files(paths: Sequence[Path]) -> list[Path]:
    """List the organisation files named: each file as given, each folder's YAML files by name."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    return files


def logo_problem(path: Path) -> str | None:
    """Why the logo at ``path`` cannot go on the cover, or None when it can."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image

    try:
        Image.from_blob(path.read_bytes())
    except FileNotFoundError:
        return f"logo file {path} not found; check the path (relative to this file)"
    except OSError as exc:
        return f"logo file {path} cannot be read ({exc.strerror})"
    except UnrecognizedImageError:
        return f"logo file {path} is not an image; please use a PNG or JPEG file"
    return None


def parse_organisation(text: str, *, name: str = "<organisation>") -> OrganisationSpec:
    """Validate organisation YAML ``text``; ``name`` appears in error messages."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc)
        raise OrganisationFileError(
            name, [Problem(line, "", f"not valid YAML: {detail}")]
        ) from None
    if not isinstance(data, dict):
        raise OrganisationFileError(
            name, [Problem(1, "", "expected a mapping with office, units and people")]
        )
    lines = _line_index(root)
    try:
        spec = OrganisationSpec.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(_line_of(lines, err["loc"]), _field_name(err["loc"]), _message(err))
            for err in exc.errors()
        ]
        raise OrganisationFileError(name, problems) from None
    cross = reference_problems(spec)
    if cross:
        problems = [Problem(_line_of(lines, loc), _field_name(loc), msg) for loc, msg in cross]
        raise OrganisationFileError(name, problems)
    return spec


def dump_organisation(spec: OrganisationSpec) -> str:
    """Render ``spec`` as organisation-file YAML that ``parse_organisation`` reads back."""
    data = spec.model_dump(mode="json", exclude_none=True)
    for person in data["people"]:
        person["roles"] = list(person["roles"])
    for year in data.get("perjanjian_kinerja", []):
        for entry in year["indicators"]:
            for key in ("target", "target_renstra", "standar_nasional"):
                if key in entry:
                    entry[key] = _target_text(entry[key])
            if entry.get("target_sebelumnya"):
                entry["target_sebelumnya"] = {
                    int(year): _target_text(target)
                    for year, target in entry["target_sebelumnya"].items()
                }
            else:
                entry.pop("target_sebelumnya", None)
    for budget in data.get("anggaran", []):
        for line in budget["lines"]:
            for key in ("pagu", "realisasi"):
                line[key] = _amount_value(line[key])
            if not line.get("sasaran"):
                line.pop("sasaran", None)  # dukungan manajemen: no key, as people write it
    if spec.renstra is not None:
        data["renstra"] = spec.renstra.as_written()
    hours = data["office_hours"]
    hours["start"] = hours["start"][:5]
    hours["end"] = hours["end"][:5]
    header = "# Lapkin organisation file (see README.md, 'The organisation file').\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _target_text(target: dict[str, str]) -> str:
    """Write a dumped target back the way people write it: 85.5 or 80-90."""
    return target_as_written(Target(Decimal(target["low"]), Decimal(target["high"])))


def _amount_value(text: str) -> int | str:
    """Write an amount so it reads back exactly: 1234567, or "1234,567" with a decimal comma.

    The JSON dump gives "1234.567" or "1E+3", which the amount reader refuses as ambiguous
    (is the dot a decimal point or a thousands group?) or as not Indonesian.
    """
    plain = format(Decimal(text), "f")
    return int(plain) if "." not in plain else plain.replace(".", ",")


def _line_index(node: yaml.Node | None) -> dict[Location, int]:
    """Map each path in the document (keys and list indexes) to its 1-based line."""
    index: dict[Location, int] = {}

    def walk(current: yaml.Node, path: Location) -> None:
        index[path] = current.start_mark.line + 1
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                key = key_node.value
                index[(*path, key)] = key_node.start_mark.line + 1
                walk(value_node, (*path, key))
                index[(*path, key)] = key_node.start_mark.line + 1
        elif isinstance(current, yaml.SequenceNode):
            for position, item in enumerate(current.value):
                walk(item, (*path, position))

    if node is not None:
        walk(node, ())
    return index


def _line_of(lines: dict[Location, int], loc: tuple[Any, ...]) -> int | None:
    """Return the line of the deepest part of ``loc`` that exists in the file."""
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def _field_name(loc: tuple[Any, ...]) -> str:
    """Render a location as ``people[3].nip``."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def _message(error: Any) -> str:
    message = str(error["msg"])
    # Pydantic prefixes messages from our validators with this; it adds nothing.
    return message.removeprefix("Value error, ")
