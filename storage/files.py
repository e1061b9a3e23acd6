"""The file store: content under DATA_DIR/files by SHA-256, each content stored once."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class FileStore:
    """Write and read files by content hash; a file is complete before anyone can see it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> tuple[str, str]:
        """Store ``data``; return its SHA-256 and its path relative to the root."""
        digest = hashlib.sha256(data).hexdigest()
        relative = f"files/{digest[:2]}/{digest[2:4]}/{digest}"
        target = self.root / relative
        if target.exists() and target.stat().st_size == len(data):
            return digest, relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary name and rename: a crash never leaves a half-written file
        # under the final name, and the database row is committed only after this returns.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
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
