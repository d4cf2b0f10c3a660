"""Start-up work kept on disk: objects built from the knowledge files
(the loaded reference, the gazetteer automata), pickled, so a one-article
run reads a file instead of rebuilding them (0.3 s of its start-up).

A cache file is named by what it was built from: the extractor's version,
Python's, the patterns folder, every knowledge file's name, size and
modification time (as Python names its bytecode caches; hashing 5 MB of
data at each start would cost more than the cache saves), the user's
aliases file and the source of the modules that build the object. Any edit
to any of them names a new file; the few newest of each kind are kept. A
file that cannot be read or written is ignored and the object is built.
``EXTRACTOR_CACHE`` names the folder (default ``$XDG_CACHE_HOME/extractor``
or ``~/.cache/extractor``), and ``EXTRACTOR_CACHE=off`` turns caching off.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

#: Files kept of each kind.
KEEP = 4


def cache_dir() -> Path | None:
    env = os.environ.get("EXTRACTOR_CACHE")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "no") else Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "extractor"


def cache_path(kind: str, root: Path, user_aliases: Path | None, sources: tuple[Path, ...]) -> Path | None:
    import hashlib
    import sys

    from . import __version__

    try:
        folder = cache_dir()
        if folder is None:
            return None
        h = hashlib.sha256()
        for part in (kind, __version__, sys.version, str(Path(root).resolve())):
            h.update(part.encode())
            h.update(b"\0")
        files = sorted(p for p in Path(root).rglob("*") if p.is_file())
        if user_aliases is not None:
            files.append(Path(user_aliases))
        for path in files:
            st = path.stat()
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        for src in sources:
            h.update(Path(src).read_bytes())
        return folder / f"{kind}-{h.hexdigest()[:24]}.pickle"
    except (OSError, RuntimeError):  # no home folder, unreadable source
        return None


def _read(path: Path, want: type):
    import pickle

    try:
        with path.open("rb") as fh:
            obj = pickle.load(fh)
    except Exception:  # missing, torn or foreign: build it anew
        return None
    return obj if isinstance(obj, want) else None


def _write(path: Path, obj, kind: str) -> None:
    import pickle
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: parallel workers never read half a file
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(path.parent.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:
        pass  # a read-only home, a full disk: run without the cache


def cached(kind: str, root: Path, user_aliases: Path | None, sources: tuple[Path, ...],
           build: Callable[[], T], want: type) -> T:
    """The ``kind`` object for these inputs: from the cache, else built (and stored)."""
    path = cache_path(kind, root, user_aliases, sources)
    if path is not None:
        obj = _read(path, want)
        if obj is not None:
            return obj
    obj = build()
    if path is not None:
        _write(path, obj, kind)
    return obj
