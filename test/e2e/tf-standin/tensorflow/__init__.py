"""A stand-in for the few TensorFlow 2 / Keras calls the exported Keras scripts make, backed by
PyTorch, for machines without TensorFlow (Debian has no package for it). It lets the tests run
the Keras scripts' training loops end to end (batch order, masks, losses, the update rule) and
compare them with the engine. It is not TensorFlow: it checks the scripts' logic, not their
fidelity to TensorFlow's API, which only a run with real TensorFlow shows."""
import numpy as np
import torch
import torch.nn.functional as F

float32, float64, int32, int64 = torch.float32, torch.float64, torch.int32, torch.int64
_DTYPES = {None: None, "float32": torch.float32, "float64": torch.float64}


class Variable:
    def __init__(self, value):
        self.t = value.clone().requires_grad_(True)

    def assign(self, value):
        with torch.no_grad():
            self.t.copy_(torch.as_tensor(np.asarray(value) if not torch.is_tensor(value) else value).to(self.t.dtype))


def convert_to_tensor(x):
    return x.t.detach().clone() if isinstance(x, Variable) else torch.as_tensor(x)


def constant(x, dtype=None):
    t = torch.from_numpy(np.array(x))
    return t if dtype is None else t.to(_DTYPES.get(dtype, dtype))


_tapes = 0  # GradientTapes open: as in TensorFlow, operations are only recorded inside one


class GradientTape:
    def __enter__(self):
        global _tapes
        _tapes += 1
        return self

    def __exit__(self, *exc):
        global _tapes
        _tapes -= 1
        return False

    def gradient(self, loss, variables):
        grads = torch.autograd.grad(loss, [v.t for v in variables], allow_unused=True)
        return [torch.zeros_like(v.t) if g is None else g for v, g in zip(variables, grads)]


class _Nn:
    relu = staticmethod(torch.relu)
    softplus = staticmethod(F.softplus)

    @staticmethod
    def leaky_relu(x, alpha):
        return F.leaky_relu(x, alpha)

    @staticmethod
    def sigmoid_cross_entropy_with_logits(labels, logits):
        return F.binary_cross_entropy_with_logits(logits, labels, reduction="none")

    @staticmethod
    def sparse_softmax_cross_entropy_with_logits(labels, logits):
        return F.cross_entropy(logits, labels, reduction="none")


class _Math:
    tanh = staticmethod(torch.tanh)
    sigmoid = staticmethod(torch.sigmoid)


nn, math = _Nn(), _Math()
zeros_like, sign, sqrt, square = torch.zeros_like, torch.sign, torch.sqrt, torch.square


def reduce_sum(x, axis=None):
    return x.sum() if axis is None else x.sum(dim=axis)


def reduce_mean(x, axis=None):
    return x.mean() if axis is None else x.mean(dim=axis)


def one_hot(y, n, dtype=torch.float32):
    return F.one_hot(y, n).to(_DTYPES.get(dtype, dtype))


def cast(x, dtype):
    return x.to(dtype)


def gather(w, y):
    return w[y]


def argmax(x, axis):
    return x.argmax(dim=axis)


def concat(xs, axis):
    return torch.cat(xs, dim=axis)


class _Symbolic:
    """What keras.Input and layers return while a functional model is built."""

    def __init__(self, width):
        self.width = width


class _Dense:
    def __init__(self, units, name=None, dtype="float32"):
        self.units, self.name, self.kernel, self.bias, self.dtype = units, name, None, None, _DTYPES[dtype]

    def build(self, shape):
        self.kernel = Variable(torch.zeros(shape[-1], self.units, dtype=self.dtype))
        self.bias = Variable(torch.zeros(self.units, dtype=self.dtype))

    def __call__(self, x):
        if self.kernel is None:
            self.build((None, x.width if isinstance(x, _Symbolic) else x.shape[-1]))
        if isinstance(x, _Symbolic):
            return _Symbolic(self.units)
        with torch.set_grad_enabled(_tapes > 0):  # outside a tape the result is plain data, so .numpy() works
            return x @ self.kernel.t + self.bias.t

    def set_weights(self, weights):
        self.kernel.assign(torch.from_numpy(np.ascontiguousarray(weights[0])))
        self.bias.assign(torch.from_numpy(np.ascontiguousarray(weights[1])))

    def get_weights(self):
        return [self.kernel.t.detach().numpy().copy(), self.bias.t.detach().numpy().copy()]


class _Layers:
    Dense = _Dense

    @staticmethod
    def Activation(name, dtype=None):
        return lambda x: x

    @staticmethod
    def LeakyReLU(slope, dtype=None):
        return lambda x: x


class _Keras:
    layers = _Layers()

    @staticmethod
    def Input(shape, dtype="float32"):
        return _Symbolic(shape[0])

    @staticmethod
    def Model(inputs, outputs):
        return (inputs, outputs)


keras = _Keras()
