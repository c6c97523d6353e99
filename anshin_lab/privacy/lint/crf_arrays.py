"""The learned detector's CRF read as arrays, and each token's label probabilities computed from them.

python-crfsuite trains the model and defines what it means. Tagging a 400-character alert body
through its Python binding cost 3 to 4 ms, most of it spent handing over about 5,000 feature strings
and asking for each token's marginals one call at a time. This module reads the weights from the
model file itself (crfsuite's format: a ``FEAT`` chunk of ``(type, source, label, weight)`` records,
attribute and label names in ``CQDB`` chunks) and computes the same marginals with numpy:
forward-backward, with the products of the per-token matrices taken by doubling (eight batched
matrix products for 254 tokens instead of 508 small ones). ``tests/test_lint_crf_arrays.py`` holds
the figures to python-crfsuite's own on the real sentences.
"""

from __future__ import annotations

import functools
import struct
from pathlib import Path

import numpy as np

from anshin_lab.privacy.lint.findings import LintError

__all__ = ["CrfArrays", "read_model"]

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_CHUNK = struct.Struct("<4sII")
_CQDB = struct.Struct("<4sIIIII")
_FEATURE = struct.Struct("<IIId")
_STATE, _TRANSITION = 0, 1


class CrfArrays:
    """A linear-chain CRF as arrays: ``labels``, the row of each attribute (``rows``), the state weights
    (one row per attribute, one column per label, a last row of zeros for attributes the model never saw)
    and the exponentiated transition weights."""

    def __init__(self, labels: list[str], attributes: list[str], state: np.ndarray, transition: np.ndarray):
        self.labels = labels
        self.rows = {name: i for i, name in enumerate(attributes)}
        self.unknown = len(attributes)
        self.state = state
        self.transition = np.exp(transition)
        # ``weight_of`` kept per tuple of names: a token's features repeat with the token (「の」「、」「付近」)
        self.weight_of = functools.lru_cache(maxsize=131072)(self._weight_of)

    def marginals(self, features: list[list[str]]) -> np.ndarray:
        """For each token (one list of attribute names each), the probability of each label: tokens × labels."""
        return self.marginals_of_scores(self.weights_of(features))

    def weights_of(self, features: list[list[str]]) -> np.ndarray:
        """For each token, the sum of its attributes' state weights: tokens × labels."""
        rows, unknown = self.rows, self.unknown
        ids = [rows.get(name, unknown) for item in features for name in item]
        owner = np.repeat(np.arange(len(features)), [len(item) for item in features])  # a token may have none
        weights = self.state[ids]
        return np.stack([np.bincount(owner, weights[:, k], minlength=len(features)) for k in range(len(self.labels))],
                        axis=1)

    def _weight_of(self, names: tuple[str, ...]) -> np.ndarray:
        """The sum of the state weights of ``names``."""
        rows, unknown = self.rows, self.unknown
        return self.state[[rows.get(name, unknown) for name in names]].sum(axis=0)

    def marginals_of_scores(self, scores: np.ndarray) -> np.ndarray:
        """For each token, the probability of each label, from the state scores (tokens × labels)."""
        n = len(scores)
        if n == 0:
            return np.zeros((0, len(self.labels)))
        # A token's scores shifted by their largest: every path through it is scaled alike, so no probability changes.
        weights = np.exp(scores - scores.max(axis=1, keepdims=True))
        # step[t][i, j]: from label i at token t-1 to label j at token t; the first token starts from nowhere.
        steps = self.transition[None, :, :] * weights[:, None, :]
        steps[0] = np.diag(weights[0])
        # Forward, the products steps[0] … steps[t]; backward, from the end, (steps[t+1] … steps[n-1]) transposed,
        # after an identity for the last token: both sequences in one batch of products.
        backward = np.empty_like(steps)
        backward[0] = np.eye(len(self.labels))
        backward[1:] = steps[:0:-1].transpose(0, 2, 1)
        forward, backward = _prefix_products(np.stack((steps, backward)))
        alpha = forward.sum(axis=1)  # every start, ending in each label at t
        beta = backward[::-1].sum(axis=1)  # from each label at t, every ending
        joint = alpha * beta
        return joint / joint.sum(axis=1, keepdims=True)


def _prefix_products(matrices: np.ndarray) -> np.ndarray:
    """Along the second axis, out[s, t] = matrices[s, 0] @ … @ matrices[s, t], scaled (only proportions matter):
    log2(n) batched products (Hillis and Steele's scan).

    Each product is divided by its first entry (O to O), a view rather than a reduction: the entries are sums of
    positive path weights, and every other entry exceeds O to O by at most the weights of the first and last
    labels changed, so nothing overflows however long the text; a first entry of 0 (a weight that underflowed)
    takes the largest entry instead."""
    scale = matrices[:, :, :1, :1]
    if not scale.all():
        return _prefix_products_by_max(matrices)
    out = matrices / scale
    k, n = 1, matrices.shape[1]
    while k < n:
        joined = out[:, :-k] @ out[:, k:]
        np.divide(joined, joined[:, :, :1, :1], out=out[:, k:])
        k *= 2
    return out


def _prefix_products_by_max(matrices: np.ndarray) -> np.ndarray:
    """``_prefix_products``, each product scaled to a largest entry of 1."""
    out = matrices / matrices.max(axis=(2, 3), keepdims=True)
    k, n = 1, matrices.shape[1]
    while k < n:
        joined = out[:, :-k] @ out[:, k:]
        out[:, k:] = joined / joined.max(axis=(2, 3), keepdims=True)
        k *= 2
    return out


def read_model(path: Path) -> CrfArrays:
    """The CRF in crfsuite's model file at ``path``."""
    data = path.read_bytes()
    try:
        magic, _, kind, _, _, n_labels, n_attrs, off_features, off_labels, off_attrs, _, _ = _HEADER.unpack_from(data)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ValueError("not a crfsuite CRF1d model")
        labels = _names(data, off_labels, n_labels)
        attributes = _names(data, off_attrs, n_attrs)
        chunk, _, count = _CHUNK.unpack_from(data, off_features)
        if chunk != b"FEAT":
            raise ValueError("no FEAT chunk")
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise LintError(f"学習済みのモデル {path} が読めません({exc}): python -m anshin_lab.privacy.lint.training "
                        "で作り直してください") from exc
    state = np.zeros((n_attrs + 1, n_labels))
    transition = np.zeros((n_labels, n_labels))
    for kind_, source, label, weight in _FEATURE.iter_unpack(
            data[off_features + _CHUNK.size:off_features + _CHUNK.size + count * _FEATURE.size]):
        if kind_ == _STATE:
            state[source, label] = weight
        elif kind_ == _TRANSITION:
            transition[source, label] = weight
    return CrfArrays(labels, attributes, state, transition)


def _names(data: bytes, offset: int, count: int) -> list[str]:
    """The ``count`` names of the CQDB chunk at ``offset``, by id (its backward array: id → record)."""
    chunk, _, _, _, size, backward = _CQDB.unpack_from(data, offset)
    if chunk != b"CQDB" or size != count:
        raise ValueError("no CQDB chunk of the expected size")
    names = []
    for i, at in enumerate(struct.unpack_from(f"<{count}I", data, offset + backward)):
        value, length = struct.unpack_from("<iI", data, offset + at)
        if value != i:
            raise ValueError("CQDB ids out of order")
        names.append(data[offset + at + 8:offset + at + 8 + length - 1].decode("utf-8"))
    return names
