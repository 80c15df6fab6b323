"""Recommendations learned on this machine: features, the LightFM model, training, evaluation."""
