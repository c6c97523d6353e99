"""The lint on real published alert text: the targets of issue 14 on the development split.

The corpus (``tests/data/real_alerts/``, sources in its ``SOURCES.md``) holds sentences of
real police alerts from several prefectures, labelled by hand, split into ``dev`` and
``heldout``. These tests assert the targets on ``dev`` only; ``heldout`` is kept for the
figures reported in the closing note (``python -m benchmarks lint`` prints both), so that
they say how the lint does on sentences nobody tuned it on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anshin_lab.privacy.lint import KINDS, lint, scrub
from anshin_lab.privacy.lint.evaluation import evaluate, evaluate_alerts, format_alerts, format_figures

DATA = Path(__file__).parent / "data" / "real_alerts"
LABELLED = DATA / "labelled.jsonl"
ALERTS = DATA / "ehime_alerts.jsonl"
MENTIONS = DATA / "ehime_mentions.jsonl"
JUDGEMENTS = DATA / "ehime_findings_judged.jsonl"

RECALL_TARGET = 0.98  # every kind, on real sentences
CLEAN_FALSE_ALARM_TARGET = 0.02  # share of clean sentences with any finding
ALERT_FALSE_TARGET = 0.01  # share of the 愛媛 alerts with a false person or facility finding


@pytest.fixture(scope="module")
def dev_figures():
    return evaluate(LABELLED, split="dev")


@pytest.fixture(scope="module")
def alert_figures():
    return evaluate_alerts(ALERTS, MENTIONS, JUDGEMENTS)


def test_the_corpus_is_well_formed():
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 600
    assert {r["split"] for r in rows} == {"dev", "heldout"}
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        for s in r["spans"]:
            assert s["kind"] in KINDS and r["text"][s["start"]:s["end"]] == s["text"], r["id"]
    heldout = sum(r["split"] == "heldout" for r in rows) / len(rows)
    assert 0.2 <= heldout <= 0.4
    labelled_kinds = {s["kind"] for r in rows for s in r["spans"]}
    assert {"facility", "person", "phone", "exact_address"} <= labelled_kinds


def test_recall_on_every_kind_of_the_dev_split(dev_figures):
    low = {kind: c for kind, c in dev_figures["kinds"].items()
           if c["tp"] + c["fn"] and c["recall"] < RECALL_TARGET}
    assert not low, format_figures(dev_figures)


def test_false_alarms_on_clean_dev_sentences(dev_figures):
    assert dev_figures["clean_fp_rate"] <= CLEAN_FALSE_ALARM_TARGET, format_figures(dev_figures)


def test_false_person_or_facility_findings_per_ehime_alert(alert_figures):
    assert alert_figures["false_alert_rate"] <= ALERT_FALSE_TARGET, format_alerts(alert_figures)


def test_every_ehime_mention_is_found(alert_figures):
    assert alert_figures["mentions_found"] == alert_figures["mentions"], format_alerts(alert_figures)


def test_every_labelled_span_is_withheld_when_scrubbed():
    """Whatever kind the lint gives it, a labelled span of a dev sentence never survives ``scrub``."""
    survivors = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["split"] != "dev" or not row["spans"]:
            continue
        out, _ = scrub(row["text"])
        survivors += [(row["id"], s["text"]) for s in row["spans"] if s["text"] in out]
    assert not survivors


def test_evaluate_reads_offset_spans_and_splits(tmp_path):
    corpus = tmp_path / "real.jsonl"
    rows = [
        {"id": "a", "split": "dev", "text": "山下小学校付近で", "spans": [{"start": 0, "end": 5, "kind": "facility", "text": "山下小学校"}]},
        {"id": "b", "split": "heldout", "text": "男は駅付近で目撃されました。", "spans": []},
    ]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    dev = evaluate(corpus, split="dev", detector=lambda text: [])
    assert dev["sentences"] == 1 and dev["kinds"]["facility"]["fn"] == 1 and dev["covered"]["facility"] == 0
    held = evaluate(corpus, split="heldout", detector=lint)
    assert held["sentences"] == 1 and held["clean_sentences"] == 1


def test_evaluate_alerts_counts_false_findings_once_per_alert(tmp_path):
    alerts, mentions = tmp_path / "alerts.jsonl", tmp_path / "mentions.jsonl"
    alerts.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "1", "text": "和気小の前で"}, {"id": "2", "text": "路上で"}]), encoding="utf-8")
    mentions.write_text(json.dumps({"id": "1", "kind": "facility", "start": 0, "end": 3}), encoding="utf-8")

    class F:  # the shape of a Finding that evaluate_alerts reads
        def __init__(self, kind, start, end):
            self.kind, self.start, self.end = kind, start, end

    def detector(text):
        return [F("facility", 0, 3), F("person", 4, 5)] if text.startswith("和気") else [F("person", 0, 2), F("facility", 0, 1)]

    figures = evaluate_alerts(alerts, mentions, detector=detector)
    assert figures["alerts_with_false"] == 2 and figures["false_alert_rate"] == 1.0
    assert figures["mentions"] == figures["mentions_found"] == 1
    assert len(figures["false_findings"]) == 3 and not any(f["reviewed"] for f in figures["false_findings"])
