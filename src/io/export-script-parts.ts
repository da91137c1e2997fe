// The frame every exported script shares (classifier and GAN, PyTorch and Keras): shebang,
// docstring, left-out notes, imports, the settings and the numbered sections, in that order.
// One copy, so the four scripts cannot drift apart in layout; each caller brings only its text.

/** A section banner comment. */
function sectionTitle(title: string): string {
  return `
# ---------------------------------------------------------------------------
# ${title}
# ---------------------------------------------------------------------------`;
}

/**
 * The docstring paragraph on exactness of the classifier scripts; `torchrun` says whether the
 * script can run as several processes (only the PyTorch one can).
 */
export function exactnessNotes(torchrun: boolean): string {
  return `
What stays exact: the rows of each split (the playground's generators and seeded split are
reimplemented here; DATA_FINGERPRINT checks them), the initial weights (--init, or the same values
computed from SEED), the batch order (the playground's random generator), the loss (class
weights normalized by the row count), the optimizer, the learning-rate schedule, resampling,
early stopping, and dropout, jitter and image augmentation (the playground's hash, so the same
masks and draws).${torchrun ? ' One process or several under torchrun take the same steps.' : ''} What differs is
float32 rounding: the playground's GPU sums in another order and its CPU fallback is float64,
so curves agree to about 1e-6 relative; --check allows CHECK_RTOL. What is left out, if
anything, is listed in LEFT_OUT below and printed when the script runs.
`;
}

/** What one exported script puts into the frame `pythonScript` gives every script. */
export interface ScriptParts {
  /** The docstring's first paragraph: what the script trains and with which framework. */
  summary: string;
  /** The packages the script needs besides numpy, as the docstring names them. */
  requires: string;
  /** False for a script that reads and writes no .safetensors files (the docstring then does not mention the package). */
  weightFiles?: boolean;
  /** The docstring after "Run:": command lines and notes, ending with a newline. */
  usage: string;
  /** What the script does not reproduce: a comment line each above the imports. */
  leftOut: string[];
  /** Standard-library import lines, in any order (written sorted, each once). */
  stdlib: string[];
  /** The framework's import lines, written after numpy's. */
  imports: string[];
  /** Section 1: the settings, then the command line. */
  settings: string;
  /** The numbered sections after it: each one's title and Python code. */
  sections: [title: string, code: string][];
}

/**
 * What a framework's file brings to a script (the frame and the framework-neutral sections come
 * from export-python.ts or export-gan-python.ts): its words, its imports and its own sections.
 */
export interface FrameworkParts extends Omit<ScriptParts, 'leftOut' | 'settings'> {
  /** Which framework: picks the variants of the settings and the left-out notes. */
  id: 'pytorch' | 'keras';
  /** Its name as the command line's description says it. */
  name: string;
}

/** A complete script: the frame of every exported script around one script's parts. */
export function pythonScript(p: ScriptParts): string {
  return `#!/usr/bin/env python3
"""${p.summary}

Exported from shaderprop. Requirements: ${p.requires} and numpy${p.weightFiles === false ? '' : ' (safetensors is used when installed)'}.
Run:
${p.usage}"""
${p.leftOut.map((l) => `# LEFT OUT: ${l}`).join('\n')}
${[...new Set(p.stdlib)].sort().join('\n')}

${['import numpy as np', ...p.imports].join('\n')}

${p.settings}
${p.sections.map(([title, code]) => sectionTitle(title) + code).join('\n')}`;
}
