"""A cache of each file's own results (strict load, schema, text rules) between checks.

An entry is keyed by the file's relative path and the SHA-256 of its bytes, and the whole
cache by a fingerprint of this package's code and schemas, the Python and the libraries that
judge a file: any change to any of them is a miss, never a stale answer. Checks across files
(references, IDs, promise rules) are never cached per file; RunCache keeps the last check's
whole result, served only when every file's path and bytes and the fingerprint are the same.

A pull request controls every byte of the repository, the cache folder included, so nothing
read from it is trusted unless this machine wrote it: the file carries an HMAC-SHA256 under a
random key kept outside the repository (in the user's cache folder), checked before a byte of
it is decoded. A committed, edited, truncated or foreign cache is ignored and rewritten; a
cache folder or file that is a symbolic link or not a regular file is neither read nor written.
Entries are plain data (marshal, written by us), never pickled objects.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import stat
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic

FOLDER = ".timeline-cache"
DISABLE_ENV = "TIMELINE_NO_CACHE"  # set to anything but "" or "0" to turn the cache off
FOLDER_ENV = "TIMELINE_CACHE_DIR"  # another cache folder (relative to the project root)
KEY_ENV = "TIMELINE_CACHE_KEY"  # the key file (default: ~/.cache/ai-timeline/cache-key)
FILE = "check.bin"
RUN_FILE = "run.bin"  # RunCache
MAGIC = b"aitlc\x00\x01\x00"
MAX_BYTES = 1 << 30
_JUDGES = ("PyYAML", "jsonschema", "referencing", "Markdown")  # libraries whose verdicts a file's results hold

Entry = tuple[bytes, list[tuple], Any]  # (SHA-256 of the bytes, diagnostics as tuples, document parts or None)


def disabled_by_env() -> bool:
    return os.environ.get(DISABLE_ENV, "") not in ("", "0")


def fingerprint() -> str:
    """What a file's results depend on besides its bytes and path: this package's sources and
    schemas, the Python, and the versions of the libraries that judge files."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *package.glob("schemas/*.json")]):
        digest.update(f"{path.relative_to(package).as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    from .strict_yaml import C_PARSER

    versions = [sys.version, str(marshal.version), str(C_PARSER is not None)]
    for name in _JUDGES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    digest.update("\0".join(versions).encode())
    return digest.hexdigest()


def _key_path(root: Path) -> Path:
    if configured := os.environ.get(KEY_ENV):
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ai-timeline" / "cache-key"


def _machine_key(root: Path) -> bytes | None:
    """This machine's key, made on first use; None (no cache) when it cannot be kept safely."""
    try:
        path = _key_path(root).absolute()
        if path.resolve().is_relative_to(root.resolve()):
            return None  # a key inside the repository would be the pull request's to choose
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            key = _read_regular(path, 4096)
            return key if key is not None and len(key) >= 32 else None
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_bytes(32))
        return _read_regular(path, 4096)
    except (OSError, RuntimeError, ValueError):
        return None


def _read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link, FIFO or device) under `limit`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        return file.read(limit + 1)


class FileCache:
    """Entries from the last run, and the ones this run will save."""

    def __init__(self, folder: Path, key: bytes, version: str) -> None:
        self.folder, self.key, self.version = folder, key, version
        self.old: dict[str, Entry] = {}
        self.new: dict[str, Entry] = {}
        self.hits = 0
        self.changed = False
        # Records built in this process, by (path, ID, is entity, digest): never saved, they spare
        # `mkdocs serve` rebuilding every unchanged record after each edit (see next_run).
        self.records: dict[tuple, Any] = {}
        self.kept: dict[tuple, Any] = {}
        self._read()

    @classmethod
    def open(cls, root: Path, folder: Path | None = None) -> FileCache | None:
        """The cache for the project at `root`, or None when the environment turns it off or
        this machine has no safe place for its key."""
        opened = cls.settings(root, folder)
        return None if opened is None else cls(*opened)

    @staticmethod
    def settings(root: Path, folder: Path | None = None) -> tuple[Path, bytes, str] | None:
        """(cache folder, machine key, code fingerprint), or None when the cache is off."""
        if disabled_by_env():
            return None
        if folder is None:
            folder = Path(os.environ.get(FOLDER_ENV) or FOLDER)
        key = _machine_key(root)
        if key is None:
            return None
        return root / folder, key, fingerprint()

    def _read(self) -> None:
        entries = _read_signed(self.folder, FILE, self.key, self.version)
        if isinstance(entries, dict):
            self.old = entries

    def get(self, rel: str, digest: bytes) -> tuple[list[Diagnostic], Any] | None:
        """The diagnostics and document parts stored for `rel` with exactly these bytes."""
        entry = self.old.get(rel)
        if entry is None or entry[0] != digest:
            return None
        self.new[rel] = entry
        self.hits += 1
        return [Diagnostic(*d) for d in entry[1]], entry[2]

    def put(self, rel: str, digest: bytes, diagnostics: list[Diagnostic], parts: Any) -> None:
        self.new[rel] = (digest, [_plain(d) for d in diagnostics], parts)
        self.changed = True

    def next_run(self) -> None:
        """Serve another run in this process from what this one found, without reading the disk:
        this run's entries and records become the last run's (a removed file's are dropped)."""
        self.old, self.new, self.records, self.kept = self.new, {}, self.kept, {}
        self.hits, self.changed = 0, False

    def save(self) -> None:
        """Write this run's entries (only the files seen this run) if anything changed; a cache
        that cannot be written is simply not written."""
        if not self.changed and self.new.keys() == self.old.keys():
            return
        _write_signed(self.folder, FILE, self.key, self.version, self.new)


def _sign(key: bytes, version: str, payload: bytes) -> bytes:
    return hmac.new(key, version.encode() + payload, hashlib.sha256).digest()


def _read_signed(folder: Path, name: str, key: bytes, version: str) -> Any:
    """What `_write_signed` wrote to `folder/name` with this key and version, or None."""
    if folder.is_symlink():
        return None
    blob = _read_regular(folder / name, MAX_BYTES)
    if blob is None or not blob.startswith(MAGIC):
        return None
    tag, payload = blob[len(MAGIC) : len(MAGIC) + 32], blob[len(MAGIC) + 32 :]
    if not hmac.compare_digest(tag, _sign(key, version, payload)):
        return None  # not written here, or written by other code: worth nothing
    try:
        return marshal.loads(payload)
    except Exception:  # authenticated, so only another Python's marshal could get here
        return None


def _write_signed(folder: Path, name: str, key: bytes, version: str, value: Any) -> None:
    """`value` (plain data) to `folder/name`, signed; a cache that cannot be written is not written."""
    try:
        if folder.is_symlink():
            return
        fresh = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        if fresh:  # keep it out of commits, as .pytest_cache does
            (folder / ".gitignore").write_text("# made by timeline check\n*\n")
        payload = marshal.dumps(value)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".check-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(MAGIC + _sign(key, version, payload) + payload)
            os.replace(temporary, folder / name)  # replaces a link itself, never its target
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError):
        return


class RunCache:
    """The whole result of the last `timeline check` (every diagnostic, across files too, and
    the counts it prints), served only for the very same inputs: `inputs` digests the path and
    bytes of every data file and every problem met listing and reading them, and the signature
    covers the code's fingerprint, as for FileCache. Nothing else goes into a check's result."""

    def __init__(self, folder: Path, key: bytes, version: str) -> None:
        self.folder, self.key, self.version = folder, key, version

    @classmethod
    def open(cls, root: Path, folder: Path | None = None) -> RunCache | None:
        opened = FileCache.settings(root, folder)
        return None if opened is None else cls(*opened)

    def get(self, inputs: bytes) -> tuple[list[Diagnostic], int, int] | None:
        """The diagnostics (in the order found) and the numbers of events and entities."""
        stored = _read_signed(self.folder, RUN_FILE, self.key, self.version)
        if not isinstance(stored, tuple) or len(stored) != 4 or stored[0] != inputs:
            return None
        _, diagnostics, events, entities = stored
        return [Diagnostic(*d) for d in diagnostics], events, entities

    def put(self, inputs: bytes, diagnostics: list[Diagnostic], events: int, entities: int) -> None:
        _write_signed(self.folder, RUN_FILE, self.key, self.version, (inputs, [_plain(d) for d in diagnostics], events, entities))


def _plain(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.column, d.severity, d.message, d.hint)
