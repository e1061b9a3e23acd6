"""The file store: content under DATA_DIR/files by SHA-256, each content stored once."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

FILES = "files"
INCOMING = ".incoming-"


class FileStore:
    """Write and read files by content hash; a file is complete before anyone can see it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> tuple[str, str]:
        """Store ``data``; return its SHA-256 and its path relative to the root."""
        digest = hashlib.sha256(data).hexdigest()
        relative = f"{FILES}/{digest[:2]}/{digest[2:4]}/{digest}"
        target = self.root / relative
        if target.exists() and target.stat().st_size == len(data):
            # Stored again: fresh for the cleanup, which leaves recent files alone.
            os.utime(target)
            return digest, relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary name and rename: a crash never leaves a half-written file
        # under the final name, and the database row is committed only after this returns.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=INCOMING)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest, relative

    def path(self, relative: str) -> Path:
        """Return the absolute path of a stored file."""
        return self.root / relative

    def read(self, relative: str) -> bytes:
        """Return a stored file's bytes."""
        return self.path(relative).read_bytes()

    def remove(self, relative: str) -> int:
        """Delete a stored file; return the bytes freed (0 when it was already gone)."""
        path = self.path(relative)
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        return size

    def free_bytes(self) -> int:
        """Return the free space of the file system the store is on."""
        path = self.root.resolve()
        while not path.exists():  # before the first file is stored, the folder may not exist
            path = path.parent
        return shutil.disk_usage(path).free

    def stored_paths(self) -> Iterator[tuple[str, float]]:
        """Yield each file under the store as (relative path, modification time).

        Half-written files a crash left behind (named .incoming-...) are among them.
        """
        base = self.root / FILES
        for first in _entries(base, directories=True):
            for second in _entries(Path(first.path), directories=True):
                for entry in _entries(Path(second.path), directories=False):
                    relative = f"{FILES}/{first.name}/{second.name}/{entry.name}"
                    yield relative, entry.stat().st_mtime


def _entries(folder: Path, *, directories: bool) -> list[os.DirEntry[str]]:
    """List a folder's subfolders, or its files (nothing when it does not exist)."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        if directories:
            return [entry for entry in entries if entry.is_dir()]
        return [entry for entry in entries if entry.is_file()]
