"""The learned detector tags with numpy (``crf_arrays``, ``crf_features.state_scores``): it must give
python-crfsuite's own marginals, on real sentences and at the edges, whatever the cache of token weights holds."""

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from anshin_lab.privacy.lint.crf_arrays import read_model
from anshin_lab.privacy.lint.crf_features import TokenWeights, sentence_features, state_scores
from anshin_lab.privacy.lint.findings import LintError
from anshin_lab.privacy.lint.learned import MODEL_PATH, load_model
from anshin_lab.privacy.lint.normalize import normalize
from anshin_lab.privacy.lint.tokens import tokenize

pycrfsuite = pytest.importorskip("pycrfsuite")

REAL = Path(__file__).parent / "data" / "real_alerts" / "labelled.jsonl"
BODY = ("【声かけ事案の発生】\n11月28日(金)午後4時10分ごろ、鹿児島市紫原3丁目12番付近の路上で、下校中の女子児童が、"
        "男から「家まで送ってあげる」などと声をかけられました。\n■行為者の特徴\n男、40歳くらい、身長170センチくらい"
        "(鹿児島南警察署 099-268-0110)")


def _sentences(limit=300):
    rows = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows if r.get("text", "").strip()][:limit]
    return texts + [BODY, "男", "山田さん", "ローソン鹿児島宇宿店で"]


def _read(text):
    folded = normalize(text).text
    return folded, tokenize(folded)


def _crfsuite_marginals(tagger, labels, features):
    tagger.set(features)
    return np.array([[tagger.marginal(label, i) for label in labels] for i in range(len(features))])


@pytest.fixture(scope="module")
def tagger():
    t = pycrfsuite.Tagger()
    t.open(str(MODEL_PATH))
    return t


def test_the_marginals_are_python_crfsuites(tagger):
    crf = read_model(MODEL_PATH)
    assert sorted(crf.labels) == sorted(tagger.labels())
    worst = 0.0
    for text in _sentences():
        folded, tokens = _read(text)
        features = sentence_features(tokens, folded)
        ours = crf.marginals(features)
        theirs = _crfsuite_marginals(tagger, crf.labels, features)
        worst = max(worst, float(np.abs(ours - theirs).max()))
    assert worst < 1e-9


def test_a_long_text_keeps_python_crfsuites_marginals(tagger):
    """The products are scaled by their first entry: over thousands of tokens nothing overflows or drifts."""
    crf = read_model(MODEL_PATH)
    folded, tokens = _read("\n".join(_sentences(120)))
    assert len(tokens) > 3000
    features = sentence_features(tokens, folded)
    assert np.abs(crf.marginals(features) - _crfsuite_marginals(tagger, crf.labels, features)).max() < 1e-9


def _log_space_marginals(scores, transition):
    """Forward-backward in log space, one token at a time: the reference for scores no feature gives."""
    log_t = np.log(transition)
    n = len(scores)
    alpha, beta = np.zeros_like(scores), np.zeros_like(scores)
    alpha[0] = scores[0]
    for t in range(1, n):
        alpha[t] = np.logaddexp.reduce(alpha[t - 1][:, None] + log_t, axis=0) + scores[t]
    for t in range(n - 2, -1, -1):
        beta[t] = np.logaddexp.reduce(log_t + (scores[t + 1] + beta[t + 1])[None, :], axis=1)
    joint = alpha + beta
    return np.exp(joint - np.logaddexp.reduce(joint, axis=1, keepdims=True))


@pytest.mark.parametrize("o_score", [0.0, -800.0])
def test_extreme_scores_give_the_log_space_marginals(o_score):
    """A label whose weight underflows (O 800 below the others) takes the other scaling, with the same result."""
    crf = read_model(MODEL_PATH)
    rng = np.random.default_rng(5)
    scores = rng.normal(0, 8, size=(300, len(crf.labels)))
    scores[::7, crf.labels.index("O")] = o_score
    assert np.abs(crf.marginals_of_scores(scores) - _log_space_marginals(scores, crf.transition)).max() < 1e-9


def test_weights_kept_per_token_give_the_same_scores_as_the_features():
    model = load_model()
    for text in _sentences(120):
        folded, tokens = _read(text)
        expected = model.crf.weights_of(sentence_features(tokens, folded))
        assert np.allclose(state_scores(model.token_weights, tokens, folded), expected, rtol=0, atol=1e-12)


def test_past_the_limit_a_token_is_weighed_each_time_and_still_right():
    crf = read_model(MODEL_PATH)
    full, capped = TokenWeights(crf), TokenWeights(crf)
    capped.LIMIT = 5
    for text in _sentences(40):
        folded, tokens = _read(text)
        assert np.allclose(state_scores(capped, tokens, folded), state_scores(full, tokens, folded), rtol=0, atol=1e-12)
    assert len(capped.index) == 5


def test_threads_tagging_at_once_get_what_one_thread_gets():
    model = load_model()
    texts = _sentences(200)
    read = [_read(t) for t in texts]
    expected = [model.crf.weights_of(sentence_features(tokens, folded)) for folded, tokens in read]
    weights = TokenWeights(model.crf)  # empty: the threads fill it together
    wrong = []

    def tag(part):
        for k in part:
            folded, tokens = read[k]
            if not np.allclose(state_scores(weights, tokens, folded), expected[k], rtol=0, atol=1e-12):
                wrong.append(texts[k])

    threads = [threading.Thread(target=tag, args=(range(i, len(texts), 4),)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_an_unreadable_model_says_how_to_rebuild_it(tmp_path):
    broken = tmp_path / "names.crfsuite"
    broken.write_bytes(MODEL_PATH.read_bytes()[:200])
    with pytest.raises(LintError, match="training"):
        read_model(broken)
    broken.write_bytes(b"not a model at all, just text")
    with pytest.raises(LintError, match="training"):
        read_model(broken)
