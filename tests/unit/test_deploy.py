"""The systemd units in deploy/: valid for systemd, and saying what the README says they do."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from bot.cli import EXIT_BAD_INPUT, build_parser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted(path.name for path in DEPLOY.iterdir() if path.suffix in {".service", ".timer"})
SERVICES = ("lapkin.service", "lapkin-backup.service", "lapkin-doctor.service")
PYTHON = "/opt/lapkin/.venv/bin/python"
# What every service keeps from the system: a bot that is broken into can read its own
# files and talk to Telegram and the database, and little else.
HARDENING = {
    "NoNewPrivileges": "true",
    "ProtectSystem": "strict",
    "ProtectHome": "true",
    "PrivateTmp": "true",
    "PrivateDevices": "true",
    "ProtectKernelTunables": "true",
    "ProtectKernelModules": "true",
    "ProtectControlGroups": "true",
    "RestrictNamespaces": "true",
    "RestrictSUIDSGID": "true",
    "LockPersonality": "true",
    "CapabilityBoundingSet": "",
    "SystemCallArchitectures": "native",
}

Unit = dict[str, dict[str, list[str]]]


def parse_unit(text: str) -> Unit:
    """Read a unit file as systemd does: sections of keys, a key given twice keeps both."""
    unit: Unit = {}
    section: dict[str, list[str]] | None = None
    for raw in text.replace("\\\n", " ").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = unit.setdefault(line[1:-1], {})
            continue
        assert section is not None, f"{line!r} is outside any section"
        key, sep, value = line.partition("=")
        assert sep, f"{line!r} is not KEY=value"
        section.setdefault(key.strip(), []).append(value.strip())
    return unit


def load(name: str) -> Unit:
    return parse_unit((DEPLOY / name).read_text(encoding="utf-8"))


def one(unit: Unit, section: str, key: str) -> str:
    (value,) = unit[section][key]
    return value


def test_the_units_are_the_ones_the_readme_installs() -> None:
    assert sorted([*SERVICES, "lapkin-backup.timer", "lapkin-doctor.timer"]) == UNITS, (
        "a unit was added or removed: update this test and README's Running for real"
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in UNITS:
        assert name in readme, f"README does not mention {name}"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not here")
def test_systemd_accepts_every_unit(tmp_path: Path) -> None:
    _copy_units(tmp_path)

    found = _verify(tmp_path, UNITS)

    assert found == "", found


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not here")
@pytest.mark.parametrize("name", SERVICES)
def test_systemd_rates_every_service_well_hardened(tmp_path: Path, name: str) -> None:
    _copy_units(tmp_path)

    # systemd's own exposure score, 0 (locked down) to 10 (none); the units score 1.5.
    done = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(tmp_path / name)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (score,) = re.findall(r"Overall exposure level for \S+: (\d+\.\d)", done.stdout)
    assert float(score) <= 2.0, done.stdout


def _copy_units(folder: Path) -> None:
    # The units name /opt/lapkin's Python, which this machine has not got: verify would stop
    # at that. Everything else (every key and value) is checked as written.
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (folder / name).write_text(text.replace(PYTHON, sys.executable), encoding="utf-8")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not here")
def test_systemd_analyze_verify_catches_a_misspelt_key(tmp_path: Path) -> None:
    # The check above is worth something only if verify speaks up on this systemd.
    (tmp_path / "typo.service").write_text(
        "[Service]\nExecStart=/bin/true\nProtectSytem=strict\nRestart=sometimes\n"
    )

    found = _verify(tmp_path, ["typo.service"])

    assert "Unknown key 'ProtectSytem'" in found and "restart specifier" in found


def _verify(folder: Path, names: list[str]) -> str:
    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(folder / name) for name in names)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return (done.stdout + done.stderr).strip() + ("" if done.returncode == 0 else " (exit 1)")


def test_the_bot_runs_as_its_own_user_and_restarts_after_a_crash() -> None:
    unit = load("lapkin.service")

    assert shlex.split(one(unit, "Service", "ExecStart")) == [PYTHON, "-m", "bot", "run"]
    assert (one(unit, "Service", "User"), one(unit, "Service", "Group")) == ("lapkin", "lapkin")
    assert one(unit, "Service", "WorkingDirectory") == "/opt/lapkin"
    # The same .env the operator's own commands read from the project folder.
    assert one(unit, "Service", "EnvironmentFile") == "/opt/lapkin/.env"
    assert one(unit, "Service", "Restart") == "on-failure"
    assert re.fullmatch(r"\d+s", one(unit, "Service", "RestartSec"))
    # A setting to fix (the CLI's exit code for bad input) is not retried every 10 seconds.
    assert str(EXIT_BAD_INPUT) in one(unit, "Service", "RestartPreventExitStatus").split()
    assert one(unit, "Unit", "Wants") == "network-online.target"
    assert one(unit, "Install", "WantedBy") == "multi-user.target"


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_is_hardened_and_can_write_data_dir(name: str) -> None:
    unit = load(name)
    service = {key: values[-1] for key, values in unit["Service"].items()}

    assert {key: service.get(key) for key in HARDENING} == HARDENING
    assert service.get("MemoryDenyWriteExecute") is None  # LibreOffice needs W^X memory
    assert set(service["RestrictAddressFamilies"].split()) >= {"AF_UNIX", "AF_INET", "AF_INET6"}
    # DATA_DIR=/var/lib/lapkin (README): ProtectSystem=strict leaves it writable only because
    # systemd makes the StateDirectory so.
    assert service["StateDirectory"] == "lapkin"
    assert service["User"] == "lapkin" and service["EnvironmentFile"] == "/opt/lapkin/.env"


def test_data_dir_in_the_readme_is_the_units_state_directory() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    state = "/var/lib/" + one(load("lapkin.service"), "Service", "StateDirectory")

    assert f"DATA_DIR={state}\n" in readme


@pytest.mark.parametrize(
    ("timer", "command"),
    [("lapkin-backup.timer", "backup"), ("lapkin-doctor.timer", "doctor")],
)
def test_each_timer_starts_a_oneshot_that_runs_one_cli_command(timer: str, command: str) -> None:
    schedule = load(timer)
    service = load(timer.replace(".timer", ".service"))

    assert schedule["Timer"]["OnCalendar"] and one(schedule, "Timer", "Persistent") == "true"
    assert one(schedule, "Install", "WantedBy") == "timers.target"
    assert one(service, "Service", "Type") == "oneshot"
    program, *args = shlex.split(one(service, "Service", "ExecStart"))
    assert program == PYTHON and args[:3] == ["-m", "bot", command]
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    if command not in commands:
        pytest.skip(
            f"`{command}` is another branch's command; its arguments are checked after the merge"
        )
    build_parser().parse_args(args[2:])  # the CLI takes the arguments as written


def test_backups_go_to_a_folder_the_backup_service_may_write() -> None:
    service = load("lapkin-backup.service")
    args = shlex.split(one(service, "Service", "ExecStart"))
    target = args[args.index("-o") + 1]

    assert target == "/var/backups/lapkin"
    assert target in one(service, "Service", "ReadWritePaths").split()
    (cleanup,) = service["Service"]["ExecStartPost"]
    assert cleanup.startswith(f"/usr/bin/find {target} ") and "-delete" in cleanup


def test_the_env_example_means_the_same_to_systemd_and_to_lapkin() -> None:
    # The service's EnvironmentFile is the .env Lapkin reads itself: a line the two read
    # differently (a comment after a value, which systemd keeps) would change a setting.
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    as_systemd = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith(("#", ";")):
            key, _, value = line.partition("=")
            as_systemd[key.strip()] = value.strip()

    assert as_systemd == {k: v or "" for k, v in dotenv_values(ROOT / ".env.example").items()}
