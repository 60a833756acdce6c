"""Build the spaCy pipeline the NLU and the retriever use, from the project's own data.

Blank English + lookup lemmatizer (tables from spacy-lookups-data, extended with
bot/nlp/lexicon.yml) + tokenizer special cases. Nothing is downloaded. The output directory is
named by a hash of everything that shapes it, and build/config.yml is written pointing at it
(Rasa fingerprints SpacyNLP by path only, so a changed pipeline must get a new path).

    python bot/nlp/build_pipeline.py            # prints the pipeline path
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import re
import shutil
import sys
from pathlib import Path

import spacy
import yaml
from spacy.attrs import NORM, ORTH

ROOT = Path(__file__).resolve().parents[2]
LEXICON = ROOT / "bot" / "nlp" / "lexicon.yml"
BUILD = ROOT / "build"
PLACEHOLDER = "build/spacy/en_iioc"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (LEXICON, Path(__file__)):
        digest.update(path.read_bytes())
    for dist in ("spacy", "spacy-lookups-data"):
        digest.update(f"{dist}=={importlib.metadata.version(dist)}".encode())
    return digest.hexdigest()[:12]


def build(target: Path) -> None:
    lexicon = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    nlp = spacy.blank("en")
    for text, norm in lexicon["special_cases"].items():
        nlp.tokenizer.add_special_case(text, [{ORTH: text, NORM: norm}])
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")
    for token, lemma in lexicon["lemma_overrides"].items():
        table[str(token)] = str(lemma)
    nlp.meta["name"] = "en_iioc"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English + lookup lemmatizer + protocol lexicon (built locally)"
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    tmp.rename(target)


def write_config(pipeline: Path) -> Path:
    source = (ROOT / "config.yml").read_text(encoding="utf-8")
    relative = pipeline.relative_to(ROOT).as_posix()
    config, count = re.subn(rf"model: {re.escape(PLACEHOLDER)}\b", f"model: {relative}", source)
    if count != 1:
        sys.exit(f"config.yml must name the SpacyNLP model as '{PLACEHOLDER}' exactly once")
    out = BUILD / "config.yml"
    out.write_text("# Generated from config.yml by bot/nlp/build_pipeline.py; do not edit.\n" + config)
    return out


def main() -> None:
    target = BUILD / "spacy" / f"en_iioc-{fingerprint()}"
    if not (target / "meta.json").exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        build(target)
    (BUILD / "spacy" / "CURRENT").write_text(target.relative_to(ROOT).as_posix() + "\n")
    write_config(target)
    print(target.relative_to(ROOT).as_posix())


if __name__ == "__main__":
    main()
