"""People in words: invitations, registration, finding the office."""

from __future__ import annotations

from bot.domain.formatting import end_sentence

UNKNOWN_LINK = (
    "Maaf, tautan undangan ini tidak dikenal. Pastikan Anda membuka tautan lengkap yang "
    "dikirim admin Lapkin, atau mintalah tautan baru."
)
INVITEE_INACTIVE = "Maaf, data Anda sudah tidak aktif. Silakan hubungi admin Lapkin."
ACCOUNT_JUST_TAKEN = (
    "Akun Telegram ini baru saja didaftarkan untuk pegawai lain di kantor ini. "
    "Satu akun Telegram hanya dapat mewakili satu pegawai di setiap kantor."
)
NO_OFFICE_YET = (
    "Belum ada kantor di basis data; impor berkas organisasi terlebih dahulu "
    "(python -m bot org import FILE)."
)


def no_such_nip(nip: str, office_name: str) -> str:
    """Refuse an invitation for a NIP the office does not have."""
    return f"Tidak ada pegawai dengan NIP {nip} di {office_name}."


def no_longer_active(name: str) -> str:
    """Refuse an invitation for someone the organisation file deactivated."""
    return f"{name} sudah tidak aktif di berkas organisasi."


def already_registered(name: str) -> str:
    """Refuse an invitation for someone already registered."""
    return f"{name} sudah terdaftar di Lapkin; tidak perlu diundang lagi."


def registered_as_you(name: str) -> str:
    """Tell someone following their own link again that they are registered."""
    return f"{end_sentence(f'Anda sudah terdaftar sebagai {name}')} Ketik /bantuan."


def account_of_another(name: str) -> str:
    """Refuse a link opened from a Telegram account bound to someone else."""
    return (
        f"Akun Telegram ini sudah terdaftar atas nama {name} di kantor ini. Satu akun "
        "Telegram hanya dapat mewakili satu pegawai di setiap kantor."
    )


def registered_elsewhere(name: str) -> str:
    """Refuse a link for someone already bound to another Telegram account."""
    return (
        f"{name} sudah terdaftar dengan akun Telegram lain. Jika Anda berganti "
        "akun, mintalah admin Lapkin untuk memindahkan pendaftaran Anda."
    )


def newly_registered(name: str, roles: str) -> str:
    """Tell the admins someone registered."""
    return f"ℹ️ {name} ({roles}) telah mendaftar di Lapkin."


def unknown_office(office_code: str) -> str:
    """Refuse an office code that is not in the database."""
    return f"Kantor '{office_code}' tidak ada di basis data."


def several_offices(codes: str) -> str:
    """Ask which office, when the database holds several."""
    return f"Ada beberapa kantor ({codes}); sebutkan kantornya dengan --office."
