// The words for models a job lost (their CPU pool workers kept dying, see PooledCpuBackend.lost):
// shared by the engine's results and the panels that show them, so every consumer says it alike.

/**
 * "Runs 3, 5 were lost: <each reason once>. The other results are kept.": the message a consumer
 * shows in place of lost members' results, beside the results it keeps (`labels` in its own
 * words, `noun` singular and plural).
 */
export function lostSentence(labels: (string | number)[], noun: [string, string], reasons: string[]): string {
  return `${listOf(labels, noun)} lost: ${[...new Set(reasons)].join('; ')}. The other results are kept.`;
}

/** "Runs 3, 5 were" or "Run 3 was". */
export function listOf(labels: (string | number)[], [one, many]: [string, string]): string {
  return labels.length === 1 ? `${one} ${labels[0]} was` : `${many} ${labels.join(', ')} were`;
}
