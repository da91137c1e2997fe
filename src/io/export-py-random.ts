// Python source of the playground's random numbers, shared by every exported script: the seeded
// generator of src/nn/rng.ts (init, splits, batch order, GAN latents) and the counter-based hash
// of src/nn/hash.ts (dropout masks, jitter, image augmentation). Written with NumPy only, so the
// Keras scripts can run these parts without TensorFlow.
import { AUGMENT_STREAMS, IMAGE_SIDE } from '../data/augment.ts';
import { LEAKY_SLOPE } from '../nn/activation.ts';

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/** The seeded generator: xoshiro128** seeded through splitmix32, uniform, normal and shuffle. */
export const PY_RNG = String.raw`
MASK32 = 0xFFFFFFFF
LEAKY_SLOPE = ${LEAKY_SLOPE}  # negative-side slope of leaky ReLU


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK32


class Rng:
    """The playground's one seeded random source (src/nn/rng.ts), bit for bit: xoshiro128**
    seeded through splitmix32. The same seed gives the same init, splits, batches and latents."""

    def __init__(self, seed):
        x = seed & MASK32
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B9) & MASK32
            z = x
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK32
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK32
            self.s.append(z ^ (z >> 16))
        if not any(self.s):
            self.s[0] = 1
        self.spare = None

    def next_u32(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & MASK32, 7) * 9) & MASK32
        t = (s1 << 9) & MASK32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        self.s = [s0, s1, s2, rotl(s3, 11)]
        return result

    def uniform(self):
        """Uniform in [0, 1) with 32 bits of resolution."""
        return self.next_u32() / 4294967296

    def below(self, n):
        """Uniform integer in [0, n)."""
        return math.floor(self.uniform() * n)

    def normal(self):
        """Standard normal by Box-Muller, the second value kept for the next call."""
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        u1 = 1 - self.uniform()
        u2 = self.uniform()
        r = math.sqrt(-2 * math.log(u1))
        self.spare = r * math.sin(2 * math.pi * u2)
        return r * math.cos(2 * math.pi * u2)

    def shuffle(self, a):
        """Fisher-Yates in place (a list), as the playground shuffles."""
        for i in range(len(a) - 1, 0, -1):
            j = self.below(i + 1)
            a[i], a[j] = a[j], a[i]
        return a
`;

/** The counter-based hash and what it draws: dropout masks, jitter noise, image augmentation. */
export const PY_HASH = String.raw`

def pcg(x):
    """The PCG integer hash of src/nn/hash.ts on uint32 arrays (NumPy wraps uint32 products)."""
    state = x * np.uint32(747796405) + np.uint32(2891336453)
    word = ((state >> ((state >> np.uint32(28)) + np.uint32(4))) ^ state) * np.uint32(277803737)
    return (word >> np.uint32(22)) ^ word


def hash_uniform(seed, stream, step, i):
    """Uniform in [0, 1) from the hash of (seed, stream, step, i), 24 bits, for an array i: the
    draw the GPU kernels and the playground's float64 reference make, without stored state."""
    i = np.asarray(i, dtype=np.uint32)
    h = pcg(np.uint32(seed & MASK32) ^ pcg(np.uint32(stream) ^ pcg(np.uint32(step & MASK32) ^ pcg(i))))
    return (h >> np.uint32(8)).astype(np.float64) / 16777216


def element_ids(first_row, rows, width):
    """Element numbers of a batch slice: row-major over the whole batch, so every process of a
    distributed run draws what one process would draw for the same rows."""
    return np.arange(first_row * width, (first_row + rows) * width, dtype=np.int64).astype(np.uint32)


def dropout_mask(seed, layer, step, first_row, rows, units, rate):
    """Inverted dropout's factors for hidden layer 'layer' at optimizer step 'step': 0 where the
    hash falls below the rate (as float32, as the kernel compares), 1 / (1 - rate) elsewhere.
    float64, as the playground's reference computes; the network rounds them to its precision."""
    rate32 = float(np.float32(rate))
    u = hash_uniform(seed, layer, step, element_ids(first_row, rows, units)).reshape(rows, units)
    return np.where(u >= rate32, 1 / (1 - rate32), 0.0)


STREAM_DX, STREAM_DY, STREAM_ANGLE, STREAM_ZOOM = ${hex(AUGMENT_STREAMS.dx)}, ${hex(AUGMENT_STREAMS.dy)}, ${hex(AUGMENT_STREAMS.angle)}, ${hex(AUGMENT_STREAMS.zoom)}
STREAM_RADIUS, STREAM_PHASE = ${hex(AUGMENT_STREAMS.radius)}, ${hex(AUGMENT_STREAMS.phase)}
IMAGE_SIDE = ${IMAGE_SIDE}


def jitter(x, sigma, seed, step, first_row):
    """Adds Gaussian noise of std sigma to every feature of a training batch slice, fresh at
    every step: Box-Muller from two hash streams of each element (src/data/augment.ts). float64,
    as the playground's reference computes; the network rounds to its own precision."""
    rows, width = x.shape
    ids = element_ids(first_row, rows, width)
    u = hash_uniform(seed, STREAM_RADIUS, step, ids)
    phase = hash_uniform(seed, STREAM_PHASE, step, ids)
    noise = np.sqrt(-2 * np.log1p(-u)) * np.cos(2 * np.pi * phase)
    return x.astype(np.float64) + sigma * noise.reshape(rows, width)


def augment_images(x, ranges, seed, step, first_row):
    """Shifts, rotates and zooms each 28x28 image of a batch slice about its centre, bilinear,
    zero outside: the playground's augmentImage with its per-row draws (src/data/augment.ts), in
    float64 like the playground's reference."""
    rows = x.shape[0]
    ids = np.arange(first_row, first_row + rows, dtype=np.int64).astype(np.uint32)

    def draw(stream, largest):
        return ((2 * hash_uniform(seed, stream, step, ids) - 1) * largest)[:, None, None]

    dx, dy = draw(STREAM_DX, ranges["max_shift"]), draw(STREAM_DY, ranges["max_shift"])
    theta = draw(STREAM_ANGLE, ranges["max_angle_deg"]) * math.pi / 180
    scale = 1 + draw(STREAM_ZOOM, ranges["max_zoom"])
    c = (IMAGE_SIDE - 1) / 2
    ys, xs = np.mgrid[0:IMAGE_SIDE, 0:IMAGE_SIDE].astype(np.float64)
    a, b = xs[None] - dx - c, ys[None] - dy - c
    cos, sin = np.cos(theta), np.sin(theta)
    u = c + (cos * a + sin * b) / scale
    v = c + (-sin * a + cos * b) / scale
    x0, y0 = np.floor(u), np.floor(v)
    fx, fy = u - x0, v - y0
    src = x.reshape(rows, IMAGE_SIDE, IMAGE_SIDE).astype(np.float64)
    which = np.arange(rows)[:, None, None]

    def pixel(px, py):
        inside = (px >= 0) & (py >= 0) & (px < IMAGE_SIDE) & (py < IMAGE_SIDE)
        values = src[which, np.clip(py, 0, IMAGE_SIDE - 1).astype(np.int64), np.clip(px, 0, IMAGE_SIDE - 1).astype(np.int64)]
        return np.where(inside, values, 0.0)

    out = ((1 - fy) * ((1 - fx) * pixel(x0, y0) + fx * pixel(x0 + 1, y0))
           + fy * ((1 - fx) * pixel(x0, y0 + 1) + fx * pixel(x0 + 1, y0 + 1)))
    return out.reshape(rows, -1)
`;
