// Worker entry: exposes the engine over Comlink. Everything heavy (data, GPU, training) lives
// here so the page never freezes.
import * as Comlink from 'comlink';
import { Engine } from './engine.ts';
import { assetBaseOf } from './asset-base.ts';

// The page may name where MNIST lives with ?assets= on this script's URL (an author's `assets`
// attribute); by default data/ sits beside this script, wherever it came from.
Comlink.expose(new Engine(undefined, assetBaseOf(import.meta.url)));
