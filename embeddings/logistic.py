"""L2-regularised logistic regression fitted in numpy: the objective of scikit-learn's LogisticRegression.

The bot fits its scope model when it builds an index and serves the answer-sentence selector; neither may
import scikit-learn and SciPy (0.9 s, 150 MB). With a few hundred features the loss is small enough to solve
exactly by Newton's method, which converges in about ten steps because it is convex and smooth.
"""

from __future__ import annotations

import numpy as np

NEWTON_STEPS = 50
TOLERANCE = 1e-8  # the largest parameter change at which the fit has converged


def balanced_weights(labels: np.ndarray) -> np.ndarray:
    """Per-example weights under which both classes weigh the same, whatever their counts (class_weight="balanced")."""
    labels = np.asarray(labels)
    positives = labels.sum()
    return np.where(labels == 1, len(labels) / (2 * positives), len(labels) / (2 * (len(labels) - positives)))


def fit_logistic(features: np.ndarray, labels: np.ndarray, sample_weights: np.ndarray | None = None,
                 regularisation: float = 1.0, intercept: bool = True) -> tuple[np.ndarray, float]:
    """Weights and intercept minimising scikit-learn's objective for LogisticRegression(C=regularisation):
    the weighted log loss plus half the squared weights over C, the intercept unpenalised."""
    features = np.asarray(features, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64)
    weights = np.ones(len(labels)) if sample_weights is None else np.asarray(sample_weights, dtype=np.float64)
    design = np.hstack([features, np.ones((len(labels), 1))]) if intercept else features
    penalty = np.eye(design.shape[1]) / regularisation
    if intercept:
        penalty[-1, -1] = 0.0
    theta = np.zeros(design.shape[1])
    for _ in range(NEWTON_STEPS):
        probability = 1.0 / (1.0 + np.exp(-(design @ theta)))
        gradient = design.T @ (weights * (probability - labels)) + penalty @ theta
        hessian = (design.T * (weights * probability * (1 - probability))) @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < TOLERANCE:
            break
    return (theta[:-1], float(theta[-1])) if intercept else (theta, 0.0)
