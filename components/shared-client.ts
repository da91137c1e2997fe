import { EngineClient } from '../src/worker/client.ts';

const clients = new Map<string, EngineClient>();

/**
 * One worker per page and worker URL, shared by every widget on it (each keeps its own session).
 * A dead worker is replaced by exactly one new one on the next request.
 */
export function sharedClient(url: URL): EngineClient {
  const key = url.href;
  let client = clients.get(key);
  if (!client || client.dead) {
    client = EngineClient.start(url);
    clients.set(key, client);
  }
  return client;
}
