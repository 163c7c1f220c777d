"""Department routing: suggest who should handle a new complaint, learned from past complaints.

Ours: TF-IDF over Kiwi search tokens (uni+bigrams) joined with character 2–4-grams, then a linear SVM
(one-vs-rest; scores rank the top-k). The baseline for comparison is plain TF-IDF over whitespace
words with the same classifier. Department names are normalised to the unit ("도시재생국 교통운수과"
→ "교통운수과") because reorganisations move units between bureaus. Where no department is known the
same works on categories. Trained models are files in GUAI_HOME (shared by all workers).
"""

from __future__ import annotations

import json
import os
import pickle
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MIN_PER_CLASS = 2
SEED = 42

Sample = tuple[list[str], str]  # (search tokens, raw text)


def normalize_label(label: str) -> str:
    """The unit of a department label: the last part of "국 과" names; others as written."""
    parts = label.split()
    return parts[-1] if parts else label


def _identity(tokens: list[str]) -> list[str]:
    return tokens


# Module-level (not lambdas) so trained pipelines can be pickled to GUAI_HOME.
def _pick_tokens(samples: list[Sample]) -> list[list[str]]:
    return [s[0] for s in samples]


def _pick_bigrams(samples: list[Sample]) -> list[list[str]]:
    return [[f"{a} {b}" for a, b in zip(s[0], s[0][1:], strict=False)] for s in samples]


def _pick_text(samples: list[Sample]) -> list[str]:
    return [s[1] for s in samples]


def _make_ours():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    words = Pipeline(
        [
            ("pick", FunctionTransformer(_pick_tokens)),
            ("tfidf", TfidfVectorizer(analyzer=_identity, ngram_range=(1, 1), sublinear_tf=True, min_df=1)),
        ]
    )
    bigrams = Pipeline(
        [
            ("pick", FunctionTransformer(_pick_bigrams)),
            ("tfidf", TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2)),
        ]
    )
    chars = Pipeline(
        [
            ("pick", FunctionTransformer(_pick_text)),
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2, max_features=300_000
                ),
            ),
        ]
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("bigrams", bigrams), ("chars", chars)])),
            ("clf", LinearSVC(C=0.5, class_weight="balanced", random_state=SEED)),
        ]
    )


def _make_baseline():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    return Pipeline(
        [
            ("pick", FunctionTransformer(_pick_text)),
            ("tfidf", TfidfVectorizer()),
            ("clf", LinearSVC(random_state=SEED)),
        ]
    )


def samples_from_texts(texts: Sequence[str]) -> list[Sample]:
    """Tokenise raw texts (title + body) for routing."""
    from guai.korean import tokens_batch

    capped = [t[:2000] for t in texts]
    return [(toks, text) for toks, text in zip(tokens_batch(capped), capped, strict=True)]


def _top_k(model: object, samples: list[Sample], k: int) -> list[list[tuple[str, float]]]:
    scores = model.decision_function(samples)  # type: ignore[attr-defined]
    classes = model.classes_  # type: ignore[attr-defined]
    if scores.ndim == 1:  # two classes: one column
        scores = np.stack([-scores, scores], axis=1)
    order = np.argsort(-scores, axis=1)[:, :k]
    return [[(str(classes[j]), float(scores[i, j])) for j in row] for i, row in enumerate(order)]


@dataclass
class Router:
    """A trained router: the model, what it predicts, and how it was evaluated."""

    model: object
    label_field: str
    classes: list[str]
    trained_on: int
    trained_at: float = field(default_factory=time.time)
    evaluation: dict[str, object] = field(default_factory=dict)

    def suggest(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        return _top_k(self.model, samples_from_texts(texts), k)


def train(samples: list[Sample], labels: list[str], label_field: str) -> Router:
    labels = [normalize_label(lb) for lb in labels]
    counts = Counter(labels)
    keep = [i for i, lb in enumerate(labels) if counts[lb] >= MIN_PER_CLASS]
    if len({labels[i] for i in keep}) < 2:
        raise ValueError("부서(또는 분류)가 2곳 이상이고 각 2건 이상인 민원이 있어야 학습할 수 있습니다.")
    model = _make_ours()
    model.fit([samples[i] for i in keep], [labels[i] for i in keep])
    return Router(
        model=model, label_field=label_field, classes=sorted({labels[i] for i in keep}), trained_on=len(keep)
    )


def split(labels: list[str], test_size: float = 0.2) -> tuple[list[int], list[int]]:
    """Stratified split (seed 42); labels with too few rows stay in training."""
    from sklearn.model_selection import train_test_split

    counts = Counter(labels)
    eligible = [i for i, lb in enumerate(labels) if counts[lb] >= MIN_PER_CLASS]
    rest = [i for i, lb in enumerate(labels) if counts[lb] < MIN_PER_CLASS]
    train_idx, test_idx = train_test_split(
        eligible, test_size=test_size, random_state=SEED, stratify=[labels[i] for i in eligible]
    )
    return sorted(train_idx + rest), sorted(test_idx)


@dataclass
class Evaluation:
    name: str
    label_field: str
    n_train: int
    n_test: int
    n_classes: int
    ours_top1: float
    ours_top3: float
    base_top1: float
    base_top3: float
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _accuracy(model: object, samples: list[Sample], truth: list[str]) -> tuple[float, float]:
    top = _top_k(model, samples, 3)
    top1 = sum(t == p[0][0] for t, p in zip(truth, top, strict=True)) / len(truth)
    top3 = sum(t in [c for c, _ in p] for t, p in zip(truth, top, strict=True)) / len(truth)
    return top1, top3


def evaluate(
    name: str, samples: list[Sample], labels: list[str], label_field: str, test_size: float = 0.2
) -> Evaluation:
    """Top-1/top-3 accuracy of ours and the plain TF-IDF baseline on the same held-out split."""
    started = time.perf_counter()
    labels = [normalize_label(lb) for lb in labels]
    train_idx, test_idx = split(labels, test_size)
    train_x, train_y = [samples[i] for i in train_idx], [labels[i] for i in train_idx]
    test_x, test_y = [samples[i] for i in test_idx], [labels[i] for i in test_idx]
    ours = _make_ours().fit(train_x, train_y)
    base = _make_baseline().fit(train_x, train_y)
    o1, o3 = _accuracy(ours, test_x, test_y)
    b1, b3 = _accuracy(base, test_x, test_y)
    return Evaluation(
        name,
        label_field,
        len(train_idx),
        len(test_idx),
        len(set(labels)),
        o1,
        o3,
        b1,
        b3,
        time.perf_counter() - started,
    )


def model_path(directory: Path, label_field: str) -> Path:
    return directory / f"router-{label_field}.pkl"


def save(router: Router, directory: Path) -> Path:
    """Atomic write so other workers never load half a model."""
    directory.mkdir(parents=True, exist_ok=True)
    path = model_path(directory, router.label_field)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(router, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    meta = {
        "label_field": router.label_field,
        "classes": router.classes,
        "trained_on": router.trained_on,
        "trained_at": router.trained_at,
        "evaluation": router.evaluation,
    }
    path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


_cache: dict[Path, tuple[float, Router]] = {}


def load(directory: Path, label_field: str | None = None) -> Router | None:
    """The saved router (department first, else category); reloaded when the file changes."""
    fields = [label_field] if label_field else ["department", "category"]
    for name in fields:
        path = model_path(directory, name)
        if not path.is_file():
            continue
        mtime = path.stat().st_mtime
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        with path.open("rb") as fh:
            router = pickle.load(fh)  # our own file in GUAI_HOME, written by save()
        _cache[path] = (mtime, router)
        return router
    return None
