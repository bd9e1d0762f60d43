"""all-MiniLM-L6-v2 sentence embeddings, computed with torch alone.

Why not sentence-transformers here: importing it (and the transformers modelling code it
pulls in) costs 4–9 s of CPU per process on these two-core machines, more than the whole
analysis of a short input, and every ``opsroom ingest``, ``extract`` and API worker pays
it.  The model itself is small and plain, a 6-layer BERT encoder whose sentence vector is
the mask-weighted mean of its last layer, L2-normalised; the forward pass below is the
textbook one over the published weights, read with ``safetensors`` and tokenised with the
model's own ``tokenizer.json`` through ``tokenizers`` (both import in milliseconds; torch
is loaded by spaCy anyway).  ``tests/test_classifier.py`` checks that its vectors equal
sentence-transformers' on real sentences, so the reference implementation stays the judge.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

#: Sentences per forward pass; sorted by length first, so a batch pads little.
BATCH = 32


class MiniLMEncoder:
    """Sentence → 384-d unit vector, as sentence-transformers' ``encode(normalize=True)``."""

    def __init__(self, model_dir: Path, max_pieces: int = 128) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ValueError(f"{model_dir}: not a BERT encoder with GELU ({config.get('model_type')})")
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.w = {k: v.float() for k, v in load_file(str(model_dir / "model.safetensors")).items()}
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_pieces)
        self.tokenizer.no_padding()
        self.max_pieces = max_pieces
        self._torch = torch

    def encode(self, texts: list[str]) -> Any:
        """A float32 array (len(texts), 384) of unit vectors, in the order given."""
        import numpy as np

        torch = self._torch
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]),
                       dtype=np.float32)
        with torch.inference_mode():
            for at in range(0, len(order), BATCH):
                chunk = order[at:at + BATCH]
                width = max(len(encodings[i].ids) for i in chunk)
                ids = torch.zeros((len(chunk), width), dtype=torch.long)
                mask = torch.zeros((len(chunk), width), dtype=torch.bool)
                for row, i in enumerate(chunk):
                    n = len(encodings[i].ids)
                    ids[row, :n] = torch.tensor(encodings[i].ids)
                    mask[row, :n] = True
                vectors = self._forward(ids, mask)
                out[chunk] = vectors.numpy()
        return out

    def _forward(self, ids: Any, mask: Any) -> Any:
        torch = self._torch
        F = torch.nn.functional
        w = self.w
        batch, width = ids.shape
        positions = torch.arange(width).unsqueeze(0)
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][positions]
             + w["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)])
        x = self._norm(x, "embeddings.LayerNorm")
        hidden = x.shape[-1]
        head = hidden // self.heads
        attend = mask[:, None, None, :]  # (batch, 1, 1, width): padding is never attended

        def split(t: Any) -> Any:
            """(batch, width, hidden) → (batch, heads, width, head): one slice per attention head."""
            return t.view(batch, width, self.heads, head).transpose(1, 2)

        for n in range(self.layers):
            p = f"encoder.layer.{n}."
            q = split(self._linear(x, p + "attention.self.query"))
            k = split(self._linear(x, p + "attention.self.key"))
            v = split(self._linear(x, p + "attention.self.value"))
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(head)
            scores = scores.masked_fill(~attend, torch.finfo(scores.dtype).min)
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, width, hidden)
            x = self._norm(x + self._linear(context, p + "attention.output.dense"),
                           p + "attention.output.LayerNorm")
            inner = F.gelu(self._linear(x, p + "intermediate.dense"))
            x = self._norm(x + self._linear(inner, p + "output.dense"), p + "output.LayerNorm")
        weights = mask.unsqueeze(-1).float()
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return F.normalize(pooled, p=2, dim=1)

    def _linear(self, x: Any, name: str) -> Any:
        return self._torch.nn.functional.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def _norm(self, x: Any, name: str) -> Any:
        return self._torch.nn.functional.layer_norm(
            x, (x.shape[-1],), self.w[name + ".weight"], self.w[name + ".bias"], self.eps)
