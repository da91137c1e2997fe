// Worker entry: exposes the engine over Comlink. Everything heavy (data, GPU, training) lives
// here so the page never freezes.
import * as Comlink from 'comlink';
import { Engine } from './engine.ts';

Comlink.expose(new Engine());
