"""The admins' reports of errors: pure functions."""

from __future__ import annotations


def error_report(*, who: str, error_type: str, error: str, trace: str) -> str:
    """Report an error to the admins: who met it, what it was, and where (the trace's end)."""
    return (
        f"🛑 Kesalahan di Lapkin\nPengguna: {who}\nGalat: {error_type}: {error}\n\n{trace[-3000:]}"
    )


def reporter(*, name: str | None, nip: str | None) -> str:
    """Name the person who met the error, or a dash when nobody known did."""
    return f"{name} (NIP {nip})" if name is not None else "—"


def repeated(report: str, *, count: int, since: str) -> str:
    """The first report again, counting how often the error happened since."""
    return f"{report[:3800]}\n\n🔁 Terjadi {count} kali sejak {since}."
