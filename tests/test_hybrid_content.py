"""The content part of Prelude's blend: likeness to what sets a person apart from everyone."""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import sparse

from app.recommend.hybrid import train_hybrid
from app.recommend.lightfm_model import LightFMSettings

ROCK, SHOEGAZE, POP, METAL = range(4)
ITEM_TAGS = [[ROCK]] * 5 + [[METAL], [ROCK, SHOEGAZE], [ROCK], [SHOEGAZE, POP], [POP]]
EVERYONE_ROCK, PERSON = range(1, 10), 0
A_ROCK_SONG, A_SHOEGAZE_POP_SONG = 7, 8  # nobody played either


def _model():
    tags = sparse.lil_matrix((len(ITEM_TAGS), 4), dtype=np.float32)
    for item, item_tags in enumerate(ITEM_TAGS):
        for tag in item_tags:
            tags[item, tag] = 1.0
    plays = sparse.lil_matrix((10, len(ITEM_TAGS)), dtype=np.float32)
    for row in EVERYONE_ROCK:
        for item in range(5):
            plays[row, item] = 1.0
    plays[PERSON, 0] = plays[PERSON, 6] = 1.0  # one rock song, one rock-and-shoegaze song
    return train_hybrid(plays.tocsr(), tags.tocsr(), settings=LightFMSettings(epochs=1)), plays.tocsr()


def test_everyone_s_taste_is_rock_and_taking_it_out_brings_the_person_s_own_tags_forward():
    model, plays = _model()
    assert np.argmax(model.common) == ROCK
    candidates = np.array([A_ROCK_SONG, A_SHOEGAZE_POP_SONG])
    person = plays[[PERSON]]

    def content_with(common_taste):
        model.weights = dataclasses.replace(model.weights, common_taste=common_taste)
        return model.parts(person, candidates)["content"][0]

    rock, shoegaze_pop = content_with(0.0)
    assert rock > shoegaze_pop  # plain likeness: rock is half of what they played
    rock, shoegaze_pop = content_with(0.4)
    assert shoegaze_pop > rock  # but rock is what everybody plays; shoegaze is theirs
