// What every exported PyTorch script (classifier and GAN) shares: the Python source of the process
// group it runs in (alone, or as one of WORLD_SIZE processes under torchrun), its imports and its
// docstring's note on torchrun. One copy, so both scripts start, reduce and, above all, end the same way.
//
// Why the ending is written with care (issue 26, measured with gdb on a hung run): in torch 1.13 a
// gloo worker thread retires a finished collective while holding the process group's work mutex,
// and if Python had already dropped the collective's tensor, freeing it there needs the GIL. The
// main thread, meanwhile, frees the process group (the last DistributedDataParallel wrapper going
// away) with the GIL held, and waits for that mutex: a deadlock, about one run in four of the GAN
// script on a loaded 2-core machine. So every tensor handed to a collective is kept alive until
// the process exits, and close() lines every process up at a barrier before anything is freed.

/** Section: the Run class (process group, batch slices, reductions, clean end) and `run_main`. */
export const TORCH_RUN = String.raw`

# Seconds any collective (and the start-up rendezvous) may wait for the other processes before
# this process gives up with a message instead of waiting forever for a peer that failed.
# SHADERPROP_COLLECTIVE_TIMEOUT (seconds) overrides it.
COLLECTIVE_TIMEOUT_SECONDS = 120

# Tensors handed to collectives, kept until the process exits: a gloo thread that frees the last
# reference to one needs the GIL, and would deadlock with a main thread freeing the process group.
_COLLECTIVE_TENSORS = {}


class Run:
    """This process: alone (rank 0 of 1), or one of WORLD_SIZE under torchrun, joined with gloo
    on CPUs and nccl on GPUs. Every batch of the seeded order is cut into WORLD_SIZE contiguous
    slices, one per process, and DistributedDataParallel averages the gradients, so the steps
    are the ones a single process takes (a DistributedSampler would shuffle with its own RNG)."""

    def __init__(self):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        cuda = torch.cuda.is_available()
        self.device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0"))) if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(self.device)
        self.timeout = float(os.environ.get("SHADERPROP_COLLECTIVE_TIMEOUT", COLLECTIVE_TIMEOUT_SECONDS))
        if self.world > 1:
            dist.init_process_group("nccl" if cuda else "gloo", timeout=datetime.timedelta(seconds=self.timeout))
        self.dtype, self.verbose = torch.float32, True  # --check trains a quiet float64 twin as well

    def share(self, n):
        """This process's slice [lo, hi) of a batch of n rows."""
        return n * self.rank // self.world, n * (self.rank + 1) // self.world

    def total(self, *values):
        """The sums of values over all processes."""
        if self.world == 1:
            return values
        t = _COLLECTIVE_TENSORS.get(len(values))
        if t is None:
            t = _COLLECTIVE_TENSORS[len(values)] = torch.zeros(len(values), dtype=torch.float64, device=self.device)
        t.copy_(torch.tensor(values, dtype=torch.float64))
        dist.all_reduce(t)
        return tuple(t.tolist())

    def wrap(self, net):
        if self.world == 1:
            return net
        return DistributedDataParallel(net, device_ids=[self.device.index] if self.device.type == "cuda" else None)

    def close(self):
        """Ends this process's part: waits at a barrier until every process has finished its last
        collective (so none frees the group while another still talks to it), then leaves it."""
        if self.world > 1:
            dist.barrier()
            dist.destroy_process_group()
            say(f"all {self.world} processes finished", everywhere=True)


def run_main(main):
    """Runs main() and exits with its status. Under torchrun, a process that fails says which
    rank it was and why, and leaves at once without waiting for the others (who then fail within
    COLLECTIVE_TIMEOUT_SECONDS, or are stopped by torchrun first)."""
    try:
        status = main()
    except Exception as exc:  # noqa: BLE001 (any failure ends this process; the message names it)
        world, rank = int(os.environ.get("WORLD_SIZE", "1")), int(os.environ.get("RANK", "0"))
        if world == 1:
            raise
        timeout = os.environ.get("SHADERPROP_COLLECTIVE_TIMEOUT", COLLECTIVE_TIMEOUT_SECONDS)
        traceback.print_exc()
        print(f"rank {rank} of {world} failed: {type(exc).__name__}: {exc}\n"
              f"(a process that stops answering makes the others fail within {timeout} s, COLLECTIVE_TIMEOUT_SECONDS)",
              file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(1)  # not sys.exit: freeing a process group with a collective pending would wait for it
    sys.exit(status)
`;

/** The imports every PyTorch script needs: those of TORCH_RUN (datetime, traceback) and torch's own. */
export const TORCH_IMPORTS = {
  stdlib: ['import datetime', 'import traceback'],
  packages: [
    'import torch',
    'import torch.distributed as dist',
    'import torch.nn.functional as F',
    'from torch import nn',
    'from torch.nn.parallel import DistributedDataParallel',
  ],
};

/** The docstring lines on how a run under torchrun ends when a process fails. */
export const TORCHRUN_NOTE = `Under torchrun each process that fails says so and exits; the others give up after
COLLECTIVE_TIMEOUT_SECONDS. SHADERPROP_LOG_ALL_RANKS=1 makes every process print its progress.
`;
