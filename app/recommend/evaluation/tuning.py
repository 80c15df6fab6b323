"""`eval-recommender --tune`: each model's settings chosen on a validation split, never on test.

The validation split is carved out of the train file the way `eval-split` carves the test files
out of the whole data set, so tuning sees the same kind of task: warm (held-out plays of known
people) or cold (artists nobody played). The search goes one setting at a time over the values
a model lists, keeping a change only when it raises validation NDCG@k by BETTER_BY, and passes
over them again until nothing changes (at most MAX_PASSES times). Settings that only pay off
together (raising one alone loses what raising the other alone would) are listed as a group,
`(name, name): (values, values)`, and every combination of their values is tried at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from app.recommend.evaluation.dataset import Interaction
from app.recommend.evaluation.matrices import EvalData, build_eval_data
from app.recommend.evaluation.ranking import metrics_of, test_users, top_k
from app.recommend.evaluation.split import split_interactions
from app.recommend.evaluation.tunable import describe

MAX_PASSES = 2
BETTER_BY = 0.001  # NDCG a change must gain: smaller gains are within a validation split's noise


def validation_data(train: list[Interaction], tags: dict[str, dict[str, float]], cold: bool,
                    seed: int) -> EvalData:
    carved = split_interactions(train, set(tags), seed=seed)
    return build_eval_data(carved.train, carved.cold_test if cold else carved.warm_test, tags)


def tune(factory, data: EvalData, k: int, say: Callable[[str], None] = lambda message: None
         ) -> tuple[dict, float]:
    """The settings of `factory` (a Tunable class) with the best validation NDCG@k, and that NDCG."""
    users = test_users(data)
    fitted: dict[tuple, object] = {}  # fit settings -> fitted model (the best one and the last)
    tried: dict[tuple, float] = {}

    def ndcg(params: dict) -> float:
        key = tuple(sorted(params.items()))
        if key not in tried:
            fit_key = tuple(sorted((name, value) for name, value in params.items()
                                   if name not in factory.score_only))
            model = fitted.get(fit_key)
            if model is None:
                model = factory(**params)
                model.fit(data)
                fitted[fit_key] = model
            else:
                model.rescore(**{name: params[name] for name in factory.score_only})
            top, _ = top_k(model, data, users, k)
            tried[key] = metrics_of(top, data.test, users, k)["ndcg"]
            say(f"  {describe(params)}: {tried[key]:.4f}")
        return tried[key]

    best = dict(factory.defaults)
    best_ndcg = ndcg(best)
    for _ in range(MAX_PASSES):
        changed = False
        for names, values in factory.space(data.cold).items():
            for trial in _trials(best, names, values):
                score = ndcg(trial)
                if score > best_ndcg + BETTER_BY:
                    best, best_ndcg, changed = trial, score, True
                _keep_only(fitted, best, factory.score_only)
        if not changed:
            break
    return best, best_ndcg


def _trials(best: dict, names, values):
    """`best` with one setting changed, or a group of settings changed together."""
    if isinstance(names, tuple):
        for combination in itertools.product(*values):
            yield {**best, **dict(zip(names, combination, strict=True))}
    else:
        for value in values:
            yield {**best, names: value}


def _keep_only(fitted: dict, best: dict, score_only) -> None:
    """Memory: a fitted model is kept only while it is the best one's fit."""
    keep = tuple(sorted((name, value) for name, value in best.items() if name not in score_only))
    for key in [key for key in fitted if key != keep]:
        del fitted[key]
