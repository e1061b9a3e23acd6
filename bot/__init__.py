"""Lapkin: the Laporan Kinerja procedure of a KPU secretariat, run in Telegram."""

__version__ = "0.1.0"

import os

# Opt in now to python-telegram-bot's coming behaviour (durations as timedelta), so the code
# need not change when it becomes the default and no deprecation warning is raised meanwhile.
os.environ.setdefault("PTB_TIMEDELTA", "1")
