"""Checking alert text: ``lint`` against a naive scan of its dictionaries and the town names.

``python -m benchmarks lint [--sentences N] [--sample N]`` writes alert
sentences from templates (about 40 % with a finding) and compares the
per-sentence time of ``lint`` with a first attempt that finds every
dictionary word and town name with ``str.find``; it also times one typical
alert body of about 400 characters against the issue's 50 ms target.
"""

from __future__ import annotations

import time

import numpy as np

from anshin_lab.cli.common import positive_int
from anshin_lab.places import address
from anshin_lab.privacy.lint import dictionary_entries, lint

# Target from the issue: a typical alert body (about 400 characters) in 50 ms once loaded.
LINT_TARGET_BODY_MS = 50.0

DESCRIPTION = ("配信メールの文例を作り、lint と素朴な全件走査(辞書の語と町名を str.find で探す)の"
               "1文あたりの時間を比べ、本文1件(約400文字)の処理時間を表示します。")


def add_arguments(parser) -> None:
    parser.add_argument("--sentences", type=positive_int, default=20_000, metavar="N",
                        help="lint でチェックする文の数(既定: 20,000)")
    parser.add_argument("--sample", type=positive_int, default=500, metavar="N",
                        help="素朴な方法で走査する文の数(既定: 500)")


def run(args) -> dict:
    return bench_lint(sentences=args.sentences, sample=args.sample)


def bench_lint(sentences: int = 20_000, sample: int = 500, seed: int = 0) -> dict:
    """Time ``lint`` on generated alert sentences against a naive dictionary scan.

    The sentences are written from alert templates (日時・場所・状況・行為者の特徴・★防犯の
    ポイント) with random towns of the gazetteer, facility names, 号-level addresses,
    phone numbers, emails and person names (about 40 % of them with a finding). ``lint``
    is timed on all of them (after one warm-up call that loads SudachiPy, the dictionaries
    and the gazetteer), and
    on a typical alert body of about 400 characters. The naive way, timed on the first
    ``sample`` sentences, is what a first attempt does: for each sentence, find every
    entry of the lint's dictionaries (kind words, chains, generic and stop words, titles,
    police names) and every town of the gazetteer with ``str.find`` in a Python loop, no
    tokenizer and no regular-expression alternation; it only finds the words, so it does
    less than ``lint``. Returns the figures (``per_s`` sentences per second,
    ``body_ms`` per alert body, ``ratio`` = naive per-sentence time / lint per-sentence
    time, ``ratio_dictionaries_only`` without the towns) and prints them.
    """
    if sentences < 1 or sample < 1:
        raise ValueError("sentences and sample must be at least 1")
    started = time.perf_counter()
    lint("山下小学校付近で")  # loads SudachiPy, the dictionaries and the gazetteer
    load_s = time.perf_counter() - started
    rng = np.random.default_rng(seed)
    gaz = address.gazetteer()
    towns = sorted((city, town.name, town.has_chome) for city, entries in gaz.towns.items()
                   for town in entries.values())

    def pick(items):
        return items[int(rng.integers(0, len(items)))]

    facilities = ["小学校", "中学校", "高校", "保育園", "公園", "駅", "電停", "病院", "クリニック", "マンション",
                  "ハイツ", "神社", "公民館", "団地", "店"]
    chains = ["ローソン", "ファミリーマート", "セブンイレブン", "タイヨー", "ニシムタ", "ドン・キホーテ"]
    surnames = ["山田", "田中", "鈴木", "有村", "東郷", "川畑", "西郷", "上園"]
    given = ["太郎", "花子", "一郎", "美咲", "健二", "ツル子"]

    def place() -> str:
        city, town, has_chome = pick(towns)
        kind = int(rng.integers(0, 6))
        a, b, c = (int(x) for x in rng.integers(1, 30, 3))
        chome = f"{a % 9 + 1}丁目" if has_chome else ""
        if kind == 0:
            return f"{city}{town}{chome}{b}番{c}号付近の路上"  # 号-level: a finding
        if kind == 1:
            return f"{city}{town}{chome}の{pick(towns)[1]}{pick(facilities)}付近"
        if kind == 2:
            return f"{city}{town}の{pick(chains)}駐車場"
        return f"{city}{town}{chome}{b if has_chome else ''}{'番' if has_chome else ''}付近の路上"

    def situation() -> str:
        kind = int(rng.integers(0, 5))
        if kind == 0:
            return f"下校中の{pick(surnames)}{pick(given)}さんが、男から「家まで送ってあげる」と声をかけられました。"
        if kind == 1:
            return f"男は「0{int(rng.integers(70, 100))}-{int(rng.integers(1000, 9999))}-{int(rng.integers(1000, 9999))}に電話して」と話しました。"
        if kind == 2:
            return f"男は、user{int(rng.integers(0, 999))}@example.com に写真を送るよう求めました。"
        return "女子児童が、男から「家まで送ってあげる」と声をかけられました。"

    templates = [
        lambda: f"11月{int(rng.integers(1, 29))}日(金)午後{int(rng.integers(1, 9))}時ごろ、{place()}で、{situation()}",
        lambda: f"行為者の特徴:男、{int(rng.integers(2, 7))}0歳くらい、身長{int(rng.integers(155, 185))}センチくらい、黒色のジャンパー",
        lambda: "★知らない人にはついて行かず、すぐに大人に知らせましょう。",
        lambda: f"{place()}で、{situation()}",
    ]
    texts = [pick(templates)() for _ in range(sentences)]
    body = ("【声かけ事案の発生】\n11月28日(金)午後4時10分ごろ、鹿児島市紫原3丁目12番付近の路上で、下校中の女子児童が、"
            "男から「家まで送ってあげる」などと声をかけられました。女子児童は走って逃げ、けがはありませんでした。\n"
            "■行為者の特徴\n男、40歳くらい、身長170センチくらい、中肉、黒色短髪、紺色の作業服上下、白色の軽自動車に乗車\n"
            "★子供には「いかのおすし」(行かない、乗らない、大声を出す、すぐ逃げる、知らせる)を教えましょう。"
            "★不審者を見かけたら、すぐに110番通報してください。★防犯ブザーは、すぐに使える場所に付けておきましょう。"
            "★帰宅時は、家族に迎えに来てもらうなど、一人にならないようにしましょう。\n"
            "地域の皆様の見守り活動へのご協力をお願いします。同様の事案が、今月に入り管内で3件発生しています。"
            "不審な人物や車両を見かけたら、すぐに警察へ通報してください。(鹿児島南警察署 099-268-0110)")

    started = time.perf_counter()
    found = [lint(text) for text in texts]
    lint_s = time.perf_counter() - started
    repeats = 50
    started = time.perf_counter()
    for _ in range(repeats):
        lint(body)
    body_ms = (time.perf_counter() - started) / repeats * 1000

    entries = dictionary_entries()
    town_names = sorted({town.name for entries_ in gaz.towns.values() for town in entries_.values()})

    def naive(text: str, words: list[str]) -> list[tuple[int, str]]:
        hits = []
        for word in words:
            at = text.find(word)
            while at >= 0:
                hits.append((at, word))
                at = text.find(word, at + 1)
        return hits

    sample = min(sample, sentences)
    started = time.perf_counter()
    for text in texts[:sample]:
        naive(text, entries + town_names)
    naive_s = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts[:sample]:
        naive(text, entries)
    naive_dictionaries_s = time.perf_counter() - started

    per_sentence = lint_s / sentences
    figures = {
        "sentences": sentences,
        "flagged": sum(bool(f) for f in found),
        "load_s": load_s,
        "lint_s": lint_s,
        "per_s": sentences / lint_s,
        "per_sentence_us": per_sentence * 1e6,
        "body_chars": len(body),
        "body_ms": body_ms,
        "naive_sample": sample,
        "naive_entries": len(entries) + len(town_names),
        "naive_s": naive_s,
        "naive_per_sentence_us": naive_s / sample * 1e6,
        "ratio": (naive_s / sample) / per_sentence,
        "ratio_dictionaries_only": (naive_dictionaries_s / sample) / per_sentence,
        "meets_target": body_ms <= LINT_TARGET_BODY_MS,
    }
    print(f"本文チェック(lint)ベンチマーク: {sentences:,}文(うち指摘あり {figures['flagged']:,}文)")
    print(f"  初回の読み込み(SudachiPy・辞書・地名辞書): {load_s:.2f}秒")
    print(f"  lint: {lint_s:.2f}秒 ({figures['per_s']:,.0f}文/秒, 1文あたり {figures['per_sentence_us']:,.0f}マイクロ秒)")
    print(f"  通報メール本文1件({len(body)}文字): {body_ms:.2f}ミリ秒")
    print(f"  素朴な全件走査(辞書 {len(entries):,}語と町名 {len(town_names):,}件を str.find): {sample:,}文で "
          f"{naive_s:.2f}秒 (1文あたり {figures['naive_per_sentence_us']:,.0f}マイクロ秒)")
    print(f"  速度比(素朴/lint, 1文あたり): {figures['ratio']:,.1f}倍 "
          f"(町名を除く辞書だけの走査となら {figures['ratio_dictionaries_only']:,.1f}倍)")
    print(f"  目標(本文1件 {LINT_TARGET_BODY_MS:.0f}ミリ秒以内): {'達成' if figures['meets_target'] else '未達'}")
    return figures
