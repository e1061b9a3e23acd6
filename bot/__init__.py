"""Lapkin: the Laporan Kinerja procedure of a KPU secretariat, run in Telegram."""

__version__ = "0.1.0"
