/**
 * Activation functions shared by the WGSL kernels and the float64 reference. The numeric ids are
 * the values of the `act` field of MatmulParams in shaders/matmul.wgsl; keep the two in step.
 */
export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'tanh', 'sigmoid'] as const;

/** Name of an activation a dense layer can apply. */
export type Activation = (typeof ACTIVATIONS)[number];

/** Negative-side slope of leaky ReLU (the common GAN value; PyTorch's LeakyReLU(0.2)). */
export const LEAKY_SLOPE = 0.2;

/** The `act` value of MatmulParams for an activation. */
export function activationId(act: Activation): number {
  return ACTIVATIONS.indexOf(act);
}

/** Type guard for activation names coming from configs, URLs or files. */
export function isActivation(value: unknown): value is Activation {
  return typeof value === 'string' && (ACTIVATIONS as readonly string[]).includes(value);
}
