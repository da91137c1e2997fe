// The model-file reader in Node (another engine than the Chromium of the unit tests): the vectors
// of issue 22 must be refused with the very messages the browser tests expect, and deep nesting
// must never surface an engine's own error (Node 20 threw RangeError before). esbuild bundles the
// TypeScript sources and the shared vector table, so nothing is built or served.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function load() {
  const result = await build({
    stdin: {
      contents: [
        "export * from './test/io/safetensors-vectors.ts';",
        "export { decodeSafetensors, ModelFileError } from './src/io/safetensors.ts';",
        "export { modelFromSafetensors, modelToSafetensors } from './src/io/model-file.ts';",
        "export { arenaLayout } from './src/nn/arena.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const reader = await load();

/** The error `fn` throws; fails when it returns. */
function refusal(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected the file to be refused');
}

test('every vector of issue 22 is refused with the same reason and message as in Chromium', () => {
  assert.ok(reader.REFUSED.length >= 25);
  for (const v of reader.REFUSED) {
    const e = refusal(() => reader.decodeSafetensors(v.bytes));
    assert.ok(e instanceof reader.ModelFileError, `${v.name}: ${e}`);
    assert.equal(e.reason, v.reason, v.name);
    assert.equal(e.message, v.message, v.name);
  }
});

test('the files the reference reads load here too, with their values', () => {
  for (const v of reader.ACCEPTED) {
    const file = reader.decodeSafetensors(v.bytes);
    assert.deepEqual(Object.fromEntries([...file.tensors].map(([k, t]) => [k, { shape: t.shape, values: [...t.data] }])), v.tensors, v.name);
    assert.deepEqual(Object.fromEntries(file.metadata), v.metadata, v.name);
  }
});

test('nesting far past any stack (1,000,000 levels) in every place is refused by name', () => {
  const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
  const headers = [
    `{"a":{"dtype":${deep},"shape":[2],"data_offsets":[0,8]}}`,
    `{"__metadata__":{"k":${deep}},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`,
    `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"ignored":${deep}}}`,
  ];
  for (const header of headers) {
    const e = refusal(() => reader.decodeSafetensors(reader.file(header, reader.ONE_TWO), { maxHeaderBytes: 4_000_000 }));
    assert.ok(e instanceof reader.ModelFileError, String(e));
    assert.equal(e.reason, 'header-depth');
    assert.match(e.message, /nest 128 levels deep; the reference reader \(serde_json\) allows at most 127 \(at byte \d+\)$/);
  }
});

test('a deeply nested network description inside the metadata is refused by name, not by the engine', () => {
  const spec = { inputSize: 2, hidden: [], outputSize: 2, loss: 'softmax_ce' };
  const good = reader.modelToSafetensors(spec, new Float32Array(reader.arenaLayout(spec).totalFloats), null, null);
  const header = `{"__metadata__":{"format":"shaderprop","spec":"${'['.repeat(200_000)}"},"layers.0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"layers.0.bias":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}`;
  const e = refusal(() => reader.modelFromSafetensors(reader.file(header, '\0'.repeat(24))));
  assert.ok(e instanceof reader.ModelFileError, String(e));
  assert.equal(e.reason, 'architecture');
  assert.equal(
    e.message,
    'the network described in the file is not valid: arrays and objects nest 128 levels deep; the reference reader (serde_json) allows at most 127 (at byte 127)',
  );
  assert.equal(reader.modelFromSafetensors(good).spec.outputSize, 2);
});
