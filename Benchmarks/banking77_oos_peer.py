#!/usr/bin/env python3
"""The peer for `kefu eval --unseen 10` on BANKING77: TF-IDF (word 1-2 grams + char 2-5 grams) + LogisticRegression.

The same 10 intents are left out of training (evenly spaced over the sorted names, as LabelledData.unseenCategories
picks them); their test rows are out of scope. A query is answered outright when the top probability reaches the
threshold. The threshold is chosen on a training split (every 5th training row per intent held out, as
`kefu eval --holdout 5`), where the lower of the two figures is highest, and then reported on test.csv.

    python3 Benchmarks/banking77_oos_peer.py ../shared/datasets/banking77
"""
import csv
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [(row["text"], row["category"]) for row in csv.DictReader(f)]


def unseen(rows, count=10):
    names = sorted({c for _, c in rows})
    return {names[int((j + 0.5) * len(names) / count)] for j in range(count)}


def hold_out(rows, every=5):
    seen, train, held = {}, [], []
    for text, category in rows:
        seen[category] = seen.get(category, 0) + 1
        (held if seen[category] % every == 0 else train).append((text, category))
    return train, held


def model(rows):
    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])
    pipeline = make_pipeline(features, LogisticRegression(C=20, max_iter=2000))
    pipeline.fit([t for t, _ in rows], [c for _, c in rows])
    return pipeline


def figures(pipeline, rows, left_out, threshold):
    probabilities = pipeline.predict_proba([t for t, _ in rows])
    classes = pipeline.classes_
    right = inside = declined = outside = 0
    for (text, category), p in zip(rows, probabilities):
        best = p.argmax()
        answers = p[best] >= threshold
        if category in left_out:
            outside += 1
            declined += not answers
        else:
            inside += 1
            right += answers and classes[best] == category
    return right / inside, declined / outside


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/banking77"
    train, test = read(f"{root}/train.csv"), read(f"{root}/test.csv")
    left_out = unseen(train)
    # As `kefu eval --train … --holdout 5 --unseen 10`: the split first, then the left-out intents leave training only.
    fit, tuning_rows = hold_out(train)
    tuning = model([r for r in fit if r[1] not in left_out])
    train = [r for r in train if r[1] not in left_out]
    grid = [round(0.05 + 0.025 * k, 3) for k in range(37)]
    best = max(grid, key=lambda t: sorted(figures(tuning, tuning_rows, left_out, t)))
    a, b = figures(tuning, tuning_rows, left_out, best)
    print(f"threshold chosen on the training split: {best} ({a:.1%} in scope answered right, {b:.1%} out of scope declined there)")
    final = model(train)
    a, b = figures(final, test, left_out, best)
    print(f"test.csv: {a:.2%} in scope answered outright and right, {b:.2%} out of scope not answered outright")


if __name__ == "__main__":
    main()
