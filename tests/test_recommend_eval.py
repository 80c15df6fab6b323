"""`prelude eval-recommender` and `eval-split` on generated data whose right answer is known."""

from __future__ import annotations

import csv
import json
import random

from tests.cli import run_prelude

KEYS = {"precision", "recall", "ndcg", "map", "fit_seconds", "peak_rss_mb", "params"}
MODELS = {"prelude", "popularity", "itemknn", "als", "ease", "rp3beta", "lightfm", "content",
          "content_prior"}


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("\t".join(header) + "\n")
        for row in rows:
            out.write("\t".join(str(value) for value in row) + "\n")
    return path


def _two_tastes(tmp_path, seed=5):
    """60 users, 2 taste groups of 30 items each; tags name the group. Each user played 12 items
    of their group (train) and 3 more (test); items 60-69 are new, tagged, only in the cold test."""
    rng = random.Random(seed)
    train, warm, cold = [], [], []
    for user in range(60):
        group = user % 2
        items = rng.sample(range(group * 30, group * 30 + 30), 15)
        train += [(user, item, rng.randint(1, 50)) for item in items[:12]]
        warm += [(user, item, 1) for item in items[12:]]
        new_items = [item for item in range(60, 70) if item % 2 == group]
        cold += [(user, item, 1) for item in rng.sample(new_items, 2)]
    tags = [
        (item, f"group{(item // 30) if item < 60 else item % 2}", rng.randint(1, 9)) for item in range(70)
    ]
    tags += [(item, f"noise{rng.randint(0, 9)}", 1) for item in range(70)]
    return (
        _write(tmp_path / "train.tsv", ("user", "item", "plays"), train),
        _write(tmp_path / "warm.tsv", ("user", "item", "plays"), warm),
        _write(tmp_path / "cold.tsv", ("user", "item", "plays"), cold),
        _write(tmp_path / "tags.tsv", ("item", "tag", "count"), tags),
    )


def test_warm_evaluation_prints_every_model_and_beats_popularity(tmp_path):
    train, warm, _, tags = _two_tastes(tmp_path)
    predictions = tmp_path / "predictions.tsv"
    done = run_prelude(
        tmp_path / "profile",
        "eval-recommender",
        "--train",
        str(train),
        "--test",
        str(warm),
        "--item-tags",
        str(tags),
        "--k",
        "5",
        "--json",
        "--predictions",
        str(predictions),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["k"] == 5 and result["mode"] == "warm"
    assert set(result["models"]) == MODELS
    # Every test item counts; the older figure (seen items only) is beside it, named as such.
    assert all(set(model) == KEYS | {"ndcg_seen_only"} for model in result["models"].values())
    models = result["models"]
    assert models["prelude"]["ndcg"] > models["popularity"]["ndcg"] + 0.1
    for item_model in ("ease", "rp3beta", "itemknn", "als", "lightfm"):  # each learns the groups
        assert models[item_model]["ndcg"] > models["popularity"]["ndcg"] + 0.1, item_model
    # 3 relevant among the 18 unseen items of their group: knowing the group gives 0.167, chance 0.06.
    assert models["prelude"]["precision"] > 0.12
    with predictions.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert rows[0] == ["user", "item", "rank"] and len(rows) == 1 + 60 * 5
    trained = {(u, i) for u, i, _ in csv.reader(train.open(encoding="utf-8"), delimiter="\t")}
    assert not any((u, i) in trained for u, i, _ in rows[1:])  # train positives are never ranked
    same_group = sum(int(i) // 30 == int(u) % 2 for u, i, _ in rows[1:])
    assert same_group / (60 * 5) > 0.9


def test_cold_items_are_ranked_among_themselves_and_said_to_be_cold(tmp_path):
    train, _, cold, tags = _two_tastes(tmp_path)

    def evaluate(*extra: str):
        return run_prelude(tmp_path / "profile", "eval-recommender", "--train", str(train),
                           "--test", str(cold), "--item-tags", str(tags), "--k", "2", *extra)

    done = evaluate()
    assert done.returncode == 0, done.stderr
    assert "cold" in done.stdout and "ranking among 10 items" in done.stdout
    as_json = json.loads(evaluate("--json").stdout)
    assert as_json["mode"] == "cold"
    # Tags say which new items belong to each group: content-aware models find them. Each user has
    # 2 relevant among the group's 5 new items, so knowing the group gives precision 0.4 at best;
    # chance is 0.2.
    assert as_json["models"]["prelude"]["precision"] >= 0.38
    assert as_json["models"]["content"]["precision"] >= 0.38
    assert as_json["models"]["popularity"]["precision"] < 0.3


def test_split_and_bad_input(tmp_path):
    train, _, _, tags = _two_tastes(tmp_path)
    done = run_prelude(
        tmp_path / "profile",
        "eval-split",
        str(train),
        "--item-tags",
        str(tags),
        "--out",
        str(tmp_path / "split"),
    )
    assert done.returncode == 0, done.stderr
    for name in ("train.tsv", "test_warm.tsv", "test_cold.tsv", "validation/train.tsv"):
        assert (tmp_path / "split" / name).read_text(encoding="utf-8").startswith("user\titem\tplays\n")
    bad = tmp_path / "bad.tsv"
    bad.write_text("user\titem\tplays\n1\t2\tmany\n", encoding="utf-8")
    refused = run_prelude(tmp_path / "profile", "eval-recommender", "--train", str(bad), "--test", str(bad))
    assert refused.returncode == 2 and "line 2: plays is not a number" in refused.stderr


def test_every_test_item_counts_and_can_be_ranked_even_one_never_played_in_training():
    from app.recommend.evaluation.dataset import Interaction
    from app.recommend.evaluation.matrices import build_eval_data

    train = [Interaction("u1", "a", 3.0), Interaction("u1", "b", 1.0), Interaction("u2", "b", 2.0)]
    test = [Interaction("u1", "c", 1.0), Interaction("u2", "a", 1.0)]  # "c": only in test
    data = build_eval_data(train, test, {"c": {"jazz": 1.0}})
    u1, u2 = data.users.index("u1"), data.users.index("u2")
    c = data.items.index("c")
    assert data.test[u1] == {c}  # counted, not dropped
    assert c in data.candidates  # and a model that can place it may rank it
    assert data.seen_test.get(u1) is None and data.seen_test[u2] == {data.items.index("a")}
    assert not data.seen_candidates[list(data.candidates).index(c)]


def test_tune_chooses_each_setting_on_a_validation_split_carved_from_the_train_file(tmp_path):
    train, warm, _, tags = _two_tastes(tmp_path)
    done = run_prelude(tmp_path / "profile", "eval-recommender", "--train", str(train), "--test",
                       str(warm), "--item-tags", str(tags), "--k", "5", "--json", "--tune",
                       "--models", "content_prior,ease,popularity")
    assert done.returncode == 0, done.stderr
    models = json.loads(done.stdout)["models"]
    assert set(models) == {"content_prior", "ease", "popularity"}
    from app.recommend.evaluation.baselines import TagContentPrior
    from app.recommend.evaluation.item_models import Ease

    for name, factory in (("content_prior", TagContentPrior), ("ease", Ease)):
        assert 0 < models[name]["validation_ndcg"] <= 1
        for setting, value in models[name]["params"].items():  # a value the search offered
            assert value in factory.search["warm"][setting] or value == factory.defaults[setting]
    assert models["popularity"]["params"] == {} and "validation_ndcg" not in models["popularity"]
    refused = run_prelude(tmp_path / "profile", "eval-recommender", "--train", str(train),
                          "--test", str(warm), "--models", "prelude,magic")
    assert refused.returncode == 2 and "no model named magic" in refused.stderr


def test_the_search_keeps_the_setting_that_ranks_best_on_validation():
    """A model whose noise setting blurs a perfect ranking: the search must end at no noise,
    reached only through a second setting that the first pass has to get right first."""
    import numpy as np

    from app.recommend.evaluation.dataset import Interaction
    from app.recommend.evaluation.matrices import build_eval_data
    from app.recommend.evaluation.tunable import Tunable
    from app.recommend.evaluation.tuning import tune

    train = [Interaction(f"u{user}", f"i{user}", 1.0) for user in range(20)]
    test = [Interaction(f"u{user}", f"i{(user + 1) % 20}", 1.0) for user in range(20)]
    data = build_eval_data(train, test, {})

    class NoisyOracle(Tunable):
        defaults = {"noise": 4.0, "sign": -1.0}
        search = {"warm": {"noise": (4.0, 2.0, 0.0), "sign": (-1.0, 1.0)}, "cold": {}}
        score_only = frozenset({"sign"})
        fits = 0

        def fit(self, data):
            NoisyOracle.fits += 1
            truth = np.zeros((len(data.users), len(data.candidates)))
            for user, relevant in data.test.items():
                truth[user, list(relevant)] = 1.0
            noise = np.random.default_rng(0).random(truth.shape) * self.params["noise"]
            self.scores = truth + noise

        def score(self, users):
            return self.params["sign"] * self.scores[users]

    best, ndcg = tune(NoisyOracle, data, k=3)
    assert best == {"noise": 0.0, "sign": 1.0} and ndcg == 1.0
    assert NoisyOracle.fits <= 5  # every setting is tried, but a change of sign reuses a fit


def test_settings_that_only_pay_off_together_are_searched_as_a_group():
    """Two settings that each spoil the ranking alone and make it perfect together: one at a
    time the search stays where it started; as a group it finds the pair."""
    import numpy as np

    from app.recommend.evaluation.dataset import Interaction
    from app.recommend.evaluation.matrices import build_eval_data
    from app.recommend.evaluation.tunable import Tunable
    from app.recommend.evaluation.tuning import tune

    train = [Interaction(f"u{user}", f"i{user}", 1.0) for user in range(20)]
    test = [Interaction(f"u{user}", f"i{(user + 1) % 20}", 1.0) for user in range(20)]
    data = build_eval_data(train, test, {})

    class Pair(Tunable):
        defaults = {"a": 0.0, "b": 0.0}
        score_only = frozenset({"a", "b"})

        def fit(self, data):
            truth = np.zeros((len(data.users), len(data.candidates)))
            for user, relevant in data.test.items():
                truth[user, list(relevant)] = 1.0
            self.truth, self.noise = truth, np.random.default_rng(0).random(truth.shape)

        def score(self, users):
            a, b = self.params["a"], self.params["b"]
            wrong = abs(a - b)  # one without the other ranks the truth last
            return (a * b - wrong) * self.truth[users] + self.noise[users]

    class OneAtATime(Pair):
        search = {"warm": {"a": (0.0, 1.0), "b": (0.0, 1.0)}, "cold": {}}

    class Together(Pair):
        search = {"warm": {("a", "b"): ((0.0, 1.0), (0.0, 1.0))}, "cold": {}}

    stuck, stuck_ndcg = tune(OneAtATime, data, k=3)
    assert stuck == {"a": 0.0, "b": 0.0} and stuck_ndcg < 1.0
    best, ndcg = tune(Together, data, k=3)
    assert best == {"a": 1.0, "b": 1.0} and ndcg == 1.0
