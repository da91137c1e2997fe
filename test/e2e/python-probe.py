"""Loads an exported Keras script as a module (TensorFlow is never imported) and prints, as JSON,
what its NumPy sections compute: rows, batches, class weights, rates, init, masks and draws, for
python-export.test.mjs to compare with the engine."""
import importlib.util
import json
import sys

import numpy as np

spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
assert m.tf is None, "the module imported TensorFlow"

data = m.prepare_data(m.parse_args([]))
classes = m.OUTPUT_SIZE
order = m.BatchOrder(data.train, data.y, m.BATCH_SIZE, m.SEED, m.RESAMPLE, classes)
image = (np.arange(784) % 29 / 28).astype(np.float32)[None]
ranges = {"max_shift": 3.0, "max_angle_deg": 20.0, "max_zoom": 0.2}
print(json.dumps({
    "fingerprint_ok": data.fingerprint_ok,
    "splits": [s.tolist() for s in (data.train, data.val, data.test)],
    "batch": order.batch,
    "epochs": [order.next_epoch() for _ in range(3)],
    "class_weights": m.class_weights(data.y[data.train], classes).tolist(),
    "rates": [m.learning_rate_at(e) for e in range(10)],
    "init": {k: v.ravel().tolist() for k, v in m.playground_init(m.layer_sizes(), m.SEED).items()},
    "mask": m.dropout_mask(m.SEED, 1, 7, 3, 5, 8, 0.3).ravel().tolist(),
    "jitter": m.jitter(np.zeros((4, 2), np.float32), 0.5, m.SEED, 11, 2).ravel().tolist(),
    "augmented": m.augment_images(image, ranges, m.SEED, 5, 1).ravel().tolist(),
}))
