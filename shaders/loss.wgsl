// loss.wgsl: a loss and its gradient in one pass, with each batch's loss sum and correct count
// reduced on the GPU into a per-step metrics slot (no readback per step).
//
// Entry points, one per output head:
//   softmax_ce   softmax cross-entropy on integer class targets, optional per-class weights
//   sigmoid_bce  binary cross-entropy on one logit (numerically stable form), class weights
//   mse          mean squared error over the output width
//   least_squares  a least-squares GAN's head (LSGAN): one raw score x against a target y,
//                loss w·(x − y)², reporting like sigmoid_bce: correct when (x > 0.5) == (y > 0.5),
//                and Σx over rows with y > 0.5 and over the others (mean D(real), D(fake))
// Each writes, per row r < rows: mode 0 (train) the gradient d(mean loss)/d(logits) into `out`;
// mode 1 (eval) the head outputs (probabilities, or values for mse) into `out`, at row
// slot·capacity + r so that every chunk of an evaluation lands in one buffer. Mode 2 writes
// outputs like mode 1 but reads no targets (predictions for arbitrary inputs); mode 3 (score)
// reduces the metrics like mode 1 and writes no outputs. In mode 0, padding rows (r ≥ rows) get
// a zero gradient, so they add nothing to dW and db; a slot of 0 rows is a step the model sits out.
//
// Models: workgroup z is model z, with its own logits, targets' indices, class weights, outputs,
// metrics and state (see gather.wgsl for the state words).
//
// Bindings (group 0):
//   0 uniform       u       : LossParams
//   1 storage read  logits  : [models, capacity, width]
//   2 storage read  targets : dataset targets, [dataset rows, target_width], shared by all models
//   3 storage read  indices : [models, slots, capacity] dataset row of each batch row
//   4 storage read  weights : [models, classes] per-class loss weights, then (when row_weights > 0,
//                             from float row_weights on) [models, row_stride] per-row weights
//   5 storage rw    out     : mode 0 [models, capacity, width] gradient; modes 1, 2
//                             [models, slots·capacity, width] outputs; mode 3 unused
//   6 storage rw    metrics : [models, slots] vec4(loss sum, correct, Σp over rows with target > 0.5,
//                             Σp over rows with target ≤ 0.5); p is the sigmoid output for sigmoid_bce
//                             and the raw score for least_squares, so a GAN reads mean D(real) and
//                             D(fake) from one pass; 0 for the other heads
//   7 storage rw    state   : per model [t, slot, seeds, rows of each slot] (see gather.wgsl)
//
// Uniform struct LossParams (12 × u32 = 48 bytes): capacity, width, target_width, mode, slots,
//   state_stride, classes (the stride of the class weights), row_weights (where the row-weight
//   table starts in `weights`, 0 for none), row_stride (dataset rows: the table's stride per
//   model), 3 × padding.
// The loss sum is Σ w · ℓ over the rows and the gradient is w · dℓ / rows, where a row's weight w
// is its class weight w_y times, in train mode only, its dataset row's weight (a boosting round's;
// evaluation and score modes ignore row weights so validation losses compare across rounds). The
// mean divides by the row count, not by Σ w (PyTorch's CrossEntropyLoss(weight=...) divides by
// Σ w instead); mse takes row weights too and has no class weights.
// Targets of sigmoid_bce may be soft (one-sided label smoothing: 0.9); a row counts as positive,
// for accuracy and for the Σp split, when its target exceeds 0.5.
// Dispatch: (1, 1, models). One workgroup per model loops over the rows, so the reduction has a
// fixed order and the same seed gives bit-identical losses; invocation 0 then advances the
// model's `slot` (and in mode 0 its step counter t, when the slot had rows) for the next step in
// the same command buffer.

struct LossParams {
  capacity: u32, width: u32, target_width: u32, mode: u32,
  slots: u32, state_stride: u32, classes: u32, row_weights: u32,
  row_stride: u32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<uniform> u: LossParams;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<f32>;
@group(0) @binding(3) var<storage, read> indices: array<u32>;
@group(0) @binding(4) var<storage, read> weights: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
@group(0) @binding(6) var<storage, read_write> metrics: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> state: array<u32>;

// 16, not 64 or 256: the loss is one workgroup, and on a software adapter every tree level is an
// emulated barrier across all its invocations (measured in docs/architecture.md).
const WG: u32 = 16u;
var<workgroup> part_loss: array<f32, WG>;
var<workgroup> part_correct: array<f32, WG>;
var<workgroup> part_pos: array<f32, WG>;
var<workgroup> part_neg: array<f32, WG>;

// This workgroup's model and where its words start; set once at entry by use_model.
var<private> model: u32;
var<private> st: u32;

fn use_model(z: u32) {
  model = z;
  st = z * u.state_stride;
}

fn current_slot() -> u32 {
  return state[st + 1u];
}

fn slot_rows(slot: u32) -> u32 {
  return state[st + 4u + slot];
}

fn target_row(slot: u32, r: u32) -> u32 {
  return indices[(model * u.slots + slot) * u.capacity + r] * u.target_width;
}

fn logit_base(r: u32) -> u32 {
  return (model * u.capacity + r) * u.width;
}

fn class_weight(y: u32) -> f32 {
  return weights[model * u.classes + y];
}

// The weight of batch row r's dataset row: 1 unless this is a training pass with a row table.
fn row_weight(slot: u32, r: u32) -> f32 {
  if (u.row_weights == 0u || u.mode != 0u) { return 1.0; }
  let row = indices[(model * u.slots + slot) * u.capacity + r];
  return weights[u.row_weights + model * u.row_stride + row];
}

// Index of (r, c) in `out`: per step in train mode, per chunk row in eval and predict modes.
fn out_index(slot: u32, r: u32, c: u32) -> u32 {
  let row = select((model * u.slots + slot) * u.capacity + r, model * u.capacity + r, u.mode == 0u);
  return row * u.width + c;
}

fn write_out(slot: u32, r: u32, c: u32, grad: f32, output: f32) {
  if (u.mode == 3u) { return; }
  out[out_index(slot, r, c)] = select(output, grad, u.mode == 0u);
}

// Sums the per-invocation partials in a fixed tree order and lets invocation 0 record them.
fn finish(lid: u32, slot: u32, rows: u32, loss: f32, correct: f32, pos: f32, neg: f32) {
  part_loss[lid] = loss;
  part_correct[lid] = correct;
  part_pos[lid] = pos;
  part_neg[lid] = neg;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      part_loss[lid] += part_loss[lid + stride];
      part_correct[lid] += part_correct[lid + stride];
      part_pos[lid] += part_pos[lid + stride];
      part_neg[lid] += part_neg[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    metrics[model * u.slots + slot] = vec4f(part_loss[0], part_correct[0], part_pos[0], part_neg[0]);
    state[st + 1u] = slot + 1u;
    if (u.mode == 0u && rows > 0u) { state[st] = state[st] + 1u; }
  }
}

@compute @workgroup_size(WG)
fn softmax_ce(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  use_model(wid.z);
  let slot = current_slot();
  let rows = slot_rows(slot);
  var loss = 0.0;
  var correct = 0.0;
  for (var r = lid; r < u.capacity; r += WG) {
    let base = logit_base(r);
    if (r >= rows) {
      for (var c = 0u; c < u.width; c++) { write_out(slot, r, c, 0.0, 0.0); }
      continue;
    }
    var max_z = logits[base];
    var best = 0u;
    for (var c = 1u; c < u.width; c++) {
      let z = logits[base + c];
      if (z > max_z) { max_z = z; best = c; }
    }
    var sum = 0.0;
    for (var c = 0u; c < u.width; c++) { sum += exp(logits[base + c] - max_z); }
    var y = 0u;
    var w = 0.0;
    if (u.mode != 2u) {
      y = u32(targets[target_row(slot, r)]);
      w = class_weight(y) * row_weight(slot, r);
      loss += w * (log(sum) + max_z - logits[base + y]);
      correct += select(0.0, 1.0, best == y);
    }
    let scale = w / f32(rows);
    for (var c = 0u; c < u.width; c++) {
      let p = exp(logits[base + c] - max_z) / sum;
      write_out(slot, r, c, scale * (p - select(0.0, 1.0, c == y)), p);
    }
  }
  finish(lid, slot, rows, loss, correct, 0.0, 0.0);
}

@compute @workgroup_size(WG)
fn sigmoid_bce(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  use_model(wid.z);
  let slot = current_slot();
  let rows = slot_rows(slot);
  var loss = 0.0;
  var correct = 0.0;
  var pos = 0.0;
  var neg = 0.0;
  for (var r = lid; r < u.capacity; r += WG) {
    if (r >= rows) { write_out(slot, r, 0u, 0.0, 0.0); continue; }
    let x = logits[logit_base(r)];
    let p = 1.0 / (1.0 + exp(-x));
    var y = 0.0;
    var w = 0.0;
    if (u.mode != 2u) {
      y = targets[target_row(slot, r)];
      w = class_weight(u32(y)) * row_weight(slot, r);
      loss += w * (max(x, 0.0) - x * y + log(1.0 + exp(-abs(x))));
      correct += select(0.0, 1.0, (x > 0.0) == (y > 0.5));
      if (y > 0.5) { pos += p; } else { neg += p; }
    }
    write_out(slot, r, 0u, w * (p - y) / f32(rows), p);
  }
  finish(lid, slot, rows, loss, correct, pos, neg);
}

@compute @workgroup_size(WG)
fn mse(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  use_model(wid.z);
  let slot = current_slot();
  let rows = slot_rows(slot);
  var loss = 0.0;
  let scale = 2.0 / f32(u.width * max(rows, 1u));
  for (var r = lid; r < u.capacity; r += WG) {
    let base = logit_base(r);
    if (r >= rows) {
      for (var c = 0u; c < u.width; c++) { write_out(slot, r, c, 0.0, 0.0); }
      continue;
    }
    let v = row_weight(slot, r);
    var sq = 0.0;
    for (var c = 0u; c < u.width; c++) {
      let z = logits[base + c];
      var d = 0.0;
      if (u.mode != 2u) { d = z - targets[target_row(slot, r) + c]; }
      sq += d * d;
      write_out(slot, r, c, v * scale * d, z);
    }
    loss += v * sq / f32(u.width);
  }
  finish(lid, slot, rows, loss, 0.0, 0.0, 0.0);
}

@compute @workgroup_size(WG)
fn least_squares(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  use_model(wid.z);
  let slot = current_slot();
  let rows = slot_rows(slot);
  var loss = 0.0;
  var correct = 0.0;
  var pos = 0.0;
  var neg = 0.0;
  for (var r = lid; r < u.capacity; r += WG) {
    if (r >= rows) { write_out(slot, r, 0u, 0.0, 0.0); continue; }
    let x = logits[logit_base(r)];
    var d = 0.0;
    var w = 0.0;
    if (u.mode != 2u) {
      let y = targets[target_row(slot, r)];
      // Targets are 0 or 1 (or a smoothed 1); the class weight is looked up like sigmoid_bce's.
      w = class_weight(u32(y)) * row_weight(slot, r);
      d = x - y;
      loss += w * d * d;
      correct += select(0.0, 1.0, (x > 0.5) == (y > 0.5));
      if (y > 0.5) { pos += x; } else { neg += x; }
    }
    write_out(slot, r, 0u, 2.0 * w * d / f32(rows), x);
  }
  finish(lid, slot, rows, loss, correct, pos, neg);
}
