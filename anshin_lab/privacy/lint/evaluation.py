"""Measuring the lint against a labelled corpus: precision and recall per kind.

The corpus (``tests/data/lint_corpus.jsonl``) is written without looking at the
lint; ``evaluate`` scores ``lint`` on it and lists every missed and spurious finding.
"""

from __future__ import annotations

import json
from pathlib import Path

from anshin_lab.core.errors import DataError
from anshin_lab.privacy.lint.check import lint
from anshin_lab.privacy.lint.findings import KINDS

__all__ = ["evaluate"]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(corpus_path) -> dict:
    """Precision and recall of ``lint`` per kind on a labelled JSON Lines corpus.

    Each line is ``{"text": ..., "findings": [{"kind": ..., "text": <exact substring>}]}``;
    a labelled finding's span is its text's next occurrence (by ``str.find``). A
    predicted finding matches a labelled one of the same kind whose span overlaps
    it, each used once. Returns ``kinds`` (per kind ``tp``, ``fp``, ``fn``,
    ``precision``, ``recall``), ``overall`` (the same over all kinds),
    ``sentences``, ``clean_sentences``, ``clean_flagged`` and ``clean_fp_rate``
    (the share of clean sentences with any finding), and ``errors``: every
    missed (``fn``) and spurious (``fp``) finding with its sentence. Raises
    ``DataError`` naming the line for a line that is not valid JSON or whose
    finding is not in its text.
    """
    path = Path(corpus_path)
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in KINDS}
    errors = []
    sentences = clean = clean_flagged = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"JSON として読めません: {exc}", path=path, row=number) from exc
        text = row["text"]
        gold = []
        used_from: dict[str, int] = {}
        for label in row["findings"]:
            at = text.find(label["text"], used_from.get(label["text"], 0))
            if at < 0:
                raise DataError("指摘の文字列が本文にありません", path=path, row=number, value=label["text"])
            used_from[label["text"]] = at + 1
            gold.append((label["kind"], at, at + len(label["text"])))
        predicted = [(f.kind, f.start, f.end) for f in lint(text)]
        sentences += 1
        if not gold:
            clean += 1
            clean_flagged += bool(predicted)
        matched_gold = set()
        for kind, start, end in predicted:
            hit = next((i for i, g in enumerate(gold) if i not in matched_gold and g[0] == kind
                        and _overlaps((start, end), (g[1], g[2]))), None)
            if hit is None:
                counts[kind]["fp"] += 1
                errors.append({"type": "fp", "kind": kind, "text": text[start:end], "sentence": text})
            else:
                matched_gold.add(hit)
                counts[kind]["tp"] += 1
        for i, (kind, start, end) in enumerate(gold):
            if i not in matched_gold:
                counts[kind]["fn"] += 1
                errors.append({"type": "fn", "kind": kind, "text": text[start:end], "sentence": text})
    kinds = {kind: _rates(c) for kind, c in counts.items()}
    overall = _rates({key: sum(c[key] for c in counts.values()) for key in ("tp", "fp", "fn")})
    return {"kinds": kinds, "overall": overall, "sentences": sentences, "clean_sentences": clean,
            "clean_flagged": clean_flagged, "clean_fp_rate": clean_flagged / clean if clean else 0.0,
            "errors": errors}


def _rates(c: dict) -> dict:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0}
