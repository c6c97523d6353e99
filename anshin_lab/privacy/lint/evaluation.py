"""Measuring the lint against labelled text: recall per kind, false alarms, and false findings per alert.

Two kinds of evidence are read, both JSON Lines:

- a labelled corpus of sentences (``tests/data/lint_corpus.jsonl``, written by hand in
  the style of alerts, and ``tests/data/real_alerts/labelled.jsonl``, sentences of real
  published alerts labelled by hand). ``evaluate`` scores a detector on it: recall and
  precision per kind, the share of clean sentences with any finding, every miss and
  every spurious finding;
- a set of whole alerts with the mentions they really contain
  (``tests/data/real_alerts/ehime_alerts.jsonl`` and ``ehime_mentions.jsonl``).
  ``evaluate_alerts`` counts the alerts in which a detector reports a person or a
  facility that is not one.

A detector is any callable ``text -> findings`` whose findings have ``kind``, ``start``
and ``end`` (``lint`` by default), so a second detector can be scored the same way.
``python -m anshin_lab.privacy.lint.evaluation PATH`` prints the table and every miss.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from anshin_lab.core.errors import DataError
from anshin_lab.privacy.lint.check import lint
from anshin_lab.privacy.lint.findings import KINDS

__all__ = ["evaluate", "evaluate_alerts", "format_alerts", "format_figures", "gold_spans", "main"]

# The kinds whose false findings on real alerts are counted per alert (a wrongly withheld
# school or name makes the alert read wrong; the target is 1 % of alerts).
ALERT_KINDS = ("person", "facility")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _read_jsonl(path: Path) -> Iterable[tuple[int, dict]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"JSON として読めません: {exc}", path=path, row=number) from exc


def gold_spans(row: dict, path: Path, number: int) -> list[tuple[str, int, int]]:
    """The labelled spans of one corpus line: ``spans`` (offsets) or ``findings`` (texts)."""
    text = row["text"]
    gold = []
    if "spans" in row:
        for span in row["spans"]:
            start, end, kind = span["start"], span["end"], span["kind"]
            if kind not in KINDS:
                raise DataError("指摘の種類が不明です", path=path, row=number, value=kind)
            if not 0 <= start < end <= len(text) or ("text" in span and text[start:end] != span["text"]):
                raise DataError("指摘の位置が本文と合いません", path=path, row=number, value=span.get("text", ""))
            gold.append((kind, start, end))
        return gold
    used_from: dict[str, int] = {}
    for label in row.get("findings", []):
        at = text.find(label["text"], used_from.get(label["text"], 0))
        if at < 0:
            raise DataError("指摘の文字列が本文にありません", path=path, row=number, value=label["text"])
        used_from[label["text"]] = at + 1
        gold.append((label["kind"], at, at + len(label["text"])))
    return gold


def evaluate(corpus_path, *, split: str | None = None, select: Callable[[dict], bool] | None = None,
             detector: Callable[[str], list] = lint) -> dict:
    """Precision and recall of ``detector`` per kind on a labelled JSON Lines corpus.

    Each line is ``{"text": ..., "spans": [{"start", "end", "kind", "text"?}]}`` (offsets
    into ``text``; ``text`` of a span, when given, must equal ``text[start:end]``) or the
    older ``{"text": ..., "findings": [{"kind", "text": <exact substring>}]}``, where a
    finding's span is its text's next occurrence (by ``str.find``). A line may carry
    ``split`` (``"dev"`` or ``"heldout"``, ``"dev"`` when absent); with ``split`` given,
    only those lines count, and with ``select`` only the lines (parsed rows) it accepts.
    A predicted finding matches a labelled one of the same kind whose span overlaps it,
    each used once.

    Returns ``kinds`` (per kind ``tp``, ``fp``, ``fn``, ``precision``, ``recall``),
    ``overall`` (the same over all kinds), ``covered`` (per kind, how many labelled spans
    some finding of *any* kind overlaps: what was withheld even if named wrongly),
    ``sentences``, ``clean_sentences``, ``clean_flagged`` and ``clean_fp_rate`` (the
    share of clean sentences with any finding), and ``errors``: every missed (``fn``)
    and spurious (``fp``) finding with its sentence and line id. Raises ``DataError``
    naming the line for a line that is not valid JSON or whose label does not fit its
    text.
    """
    path = Path(corpus_path)
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in KINDS}
    covered = {kind: 0 for kind in KINDS}
    errors = []
    sentences = clean = clean_flagged = 0
    for number, row in _read_jsonl(path):
        if split is not None and row.get("split", "dev") != split:
            continue
        if select is not None and not select(row):
            continue
        text = row["text"]
        gold = gold_spans(row, path, number)
        predicted = [(f.kind, f.start, f.end) for f in detector(text)]
        sentences += 1
        if not gold:
            clean += 1
            clean_flagged += bool(predicted)
        line_id = row.get("id", number)
        matched_gold = set()
        for kind, start, end in predicted:
            hit = next((i for i, g in enumerate(gold) if i not in matched_gold and g[0] == kind
                        and _overlaps((start, end), (g[1], g[2]))), None)
            if hit is None:
                counts[kind]["fp"] += 1
                errors.append({"type": "fp", "kind": kind, "text": text[start:end], "sentence": text, "id": line_id})
            else:
                matched_gold.add(hit)
                counts[kind]["tp"] += 1
        for i, (kind, start, end) in enumerate(gold):
            if any(_overlaps((start, end), (p[1], p[2])) for p in predicted):
                covered[kind] += 1
            if i not in matched_gold:
                counts[kind]["fn"] += 1
                errors.append({"type": "fn", "kind": kind, "text": text[start:end], "sentence": text, "id": line_id})
    kinds = {kind: _rates(c) for kind, c in counts.items()}
    overall = _rates({key: sum(c[key] for c in counts.values()) for key in ("tp", "fp", "fn")})
    return {"kinds": kinds, "overall": overall, "covered": covered, "sentences": sentences,
            "clean_sentences": clean, "clean_flagged": clean_flagged,
            "clean_fp_rate": clean_flagged / clean if clean else 0.0, "errors": errors}


def _rates(c: dict) -> dict:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0}


def evaluate_alerts(alerts_path, mentions_path, judgements_path=None, *,
                    detector: Callable[[str], list] = lint) -> dict:
    """How many whole alerts get a person or facility finding that is not one.

    ``alerts_path`` holds one alert a line (``{"id", "text"}``); ``mentions_path`` the
    persons and facilities the alerts really contain (``{"id", "kind", "start", "end"}``,
    offsets into that alert's text); ``judgements_path``, optional, findings a reviewer
    looked at (``{"id", "kind", "text", "verdict": "true"|"false"}``). A person or
    facility finding is true when it overlaps a mention of the same kind, or when it was
    judged true; otherwise it is false, and listed as ``reviewed`` when it was judged
    false and as not reviewed when nobody has looked at it yet (a new finding of a
    changed lint: judge it and add it to the file).

    Returns ``alerts``, ``alerts_with_false`` and ``false_alert_rate`` (over
    ``ALERT_KINDS``), ``mentions`` and ``mentions_found`` (mentions a finding of the
    same kind overlaps), ``false_findings`` (every false finding with its alert id,
    kind, text and ``reviewed``) and ``missed_mentions``.
    """
    alerts_path, mentions_path = Path(alerts_path), Path(mentions_path)
    gold: dict[str, list[tuple[str, int, int]]] = {}
    for number, row in _read_jsonl(mentions_path):
        if row["kind"] not in KINDS:
            raise DataError("指摘の種類が不明です", path=mentions_path, row=number, value=row["kind"])
        gold.setdefault(row["id"], []).append((row["kind"], row["start"], row["end"]))
    judged: dict[tuple[str, str, str], str] = {}
    if judgements_path is not None and Path(judgements_path).exists():
        for _, row in _read_jsonl(Path(judgements_path)):
            judged[(row["id"], row["kind"], row["text"])] = row["verdict"]
    alerts = with_false = mentions = found = 0
    false_findings, missed = [], []
    for number, row in _read_jsonl(alerts_path):
        alerts += 1
        text, alert_id = row["text"], row["id"]
        golds = gold.get(alert_id, [])
        for kind, start, end in golds:
            if not 0 <= start < end <= len(text):
                raise DataError("指摘の位置が本文と合いません", path=mentions_path, value=alert_id)
        predicted = [(f.kind, f.start, f.end) for f in detector(text)]
        false_here = []
        for kind, start, end in predicted:
            if kind not in ALERT_KINDS:
                continue
            if any(g[0] == kind and _overlaps((start, end), (g[1], g[2])) for g in golds):
                continue
            verdict = judged.get((alert_id, kind, text[start:end]))
            if verdict == "true":
                continue
            false_here.append({"id": alert_id, "kind": kind, "text": text[start:end],
                               "context": text[max(0, start - 15):end + 15], "reviewed": verdict == "false"})
        with_false += bool(false_here)
        false_findings += false_here
        for kind, start, end in golds:
            mentions += 1
            if any(p[0] == kind and _overlaps((start, end), (p[1], p[2])) for p in predicted):
                found += 1
            else:
                missed.append({"id": alert_id, "kind": kind, "text": text[start:end]})
    return {"alerts": alerts, "alerts_with_false": with_false,
            "false_alert_rate": with_false / alerts if alerts else 0.0,
            "mentions": mentions, "mentions_found": found,
            "false_findings": false_findings, "missed_mentions": missed}


def format_figures(figures: dict, title: str = "", *, list_errors: bool = True) -> str:
    """The per-kind table of ``evaluate`` and every miss and spurious finding, in Japanese.

    With ``list_errors=False`` only the counts are shown: a held-out split's misses are
    not printed where whoever tunes the lint reads them.
    """
    lines = [title] if title else []
    lines.append(f"文 {figures['sentences']} 件(指摘なしの文 {figures['clean_sentences']} 件)")
    lines.append(f"{'種類':<14}{'正解':>6}{'検出':>6}{'見逃し':>6}{'誤検出':>6}{'再現率':>9}{'適合率':>9}{'伏せた':>8}")
    for kind in KINDS:
        c = figures["kinds"][kind]
        total = c["tp"] + c["fn"]
        lines.append(f"{kind:<14}{total:>6}{c['tp']:>6}{c['fn']:>6}{c['fp']:>6}"
                     f"{c['recall']:>9.3f}{c['precision']:>9.3f}{figures['covered'][kind]:>8}")
    o = figures["overall"]
    lines.append(f"{'全体':<14}{o['tp'] + o['fn']:>6}{o['tp']:>6}{o['fn']:>6}{o['fp']:>6}"
                 f"{o['recall']:>9.3f}{o['precision']:>9.3f}")
    lines.append(f"指摘なしの文の誤検出: {figures['clean_flagged']} / {figures['clean_sentences']}"
                 f" = {figures['clean_fp_rate']:.1%}")
    misses = [e for e in figures["errors"] if e["type"] == "fn"]
    spurious = [e for e in figures["errors"] if e["type"] == "fp"]
    if not list_errors:
        lines.append(f"見逃し {len(misses)} 件、誤検出 {len(spurious)} 件(評価用のため一覧は表示しません)")
        return "\n".join(lines)
    lines.append(f"見逃し {len(misses)} 件:")
    lines += [f"  [{e['kind']}] {e['text']}  ← {e['id']}: {e['sentence']}" for e in misses]
    lines.append(f"誤検出 {len(spurious)} 件:")
    lines += [f"  [{e['kind']}] {e['text']}  ← {e['id']}: {e['sentence']}" for e in spurious]
    return "\n".join(lines)


def format_alerts(figures: dict) -> str:
    """The per-alert figures of ``evaluate_alerts`` and every false finding, in Japanese."""
    lines = [f"通報 {figures['alerts']} 件のうち、人名・施設でないものを人名・施設とした通報: "
             f"{figures['alerts_with_false']} 件 ({figures['false_alert_rate']:.2%})",
             f"実在の人名・施設 {figures['mentions']} 件のうち検出 {figures['mentions_found']} 件"]
    for f in figures["false_findings"]:
        mark = "" if f["reviewed"] else " (未確認)"
        lines.append(f"  誤検出{mark} [{f['kind']}] {f['text']}  ← {f['id']}: …{f['context']}…")
    for m in figures["missed_mentions"]:
        lines.append(f"  見逃し [{m['kind']}] {m['text']}  ← {m['id']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m anshin_lab.privacy.lint.evaluation PATH [--split S] [--alerts A --mentions M]``."""
    parser = argparse.ArgumentParser(
        prog="python -m anshin_lab.privacy.lint.evaluation",
        description="ラベル付きの文で本文チェック(lint)の再現率と誤検出を種類ごとに表示し、見逃しをすべて挙げます。")
    parser.add_argument("corpus", type=Path, help="ラベル付きの文(JSON Lines)")
    parser.add_argument("--split", choices=("dev", "heldout"), help="この分割の文だけを数える(既定: すべて)")
    parser.add_argument("--alerts", type=Path, help="通報全文(JSON Lines)。指定すると通報ごとの誤検出も数える")
    parser.add_argument("--mentions", type=Path, help="--alerts の通報に実在する人名・施設(JSON Lines)")
    parser.add_argument("--judgements", type=Path, help="確認済みの検出(JSON Lines)")
    parser.add_argument("--hide-heldout-errors", action="store_true",
                        help="評価用(heldout)の見逃し・誤検出の一覧を表示しない(調整する人が見る場合)")
    args = parser.parse_args(argv)
    splits = [args.split] if args.split else ["dev", "heldout"]
    try:
        for split in splits:
            print(format_figures(evaluate(args.corpus, split=split), title=f"== {split} ==",
                                 list_errors=not (args.hide_heldout_errors and split == "heldout")))
            print()
        if args.alerts:
            if args.mentions is None:
                parser.error("--alerts には --mentions も必要です")
            print(format_alerts(evaluate_alerts(args.alerts, args.mentions, args.judgements)))
    except DataError as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
