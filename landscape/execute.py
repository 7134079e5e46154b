"""Execute notebooks headless, immune to the ipywidgets stall.

jupyter_client's ``AsyncZMQSocketChannel.get_msg`` awaits one long ``poll``; with ipywidgets
comm traffic that poll sometimes never wakes although the kernel's reply has arrived
(jupyter/nbclient#312, jupyter/nbconvert#2029), and execution waits out the cell timeout, or
forever. `patch_zmq_polling` replaces it with polling in short slices. Every path that runs
notebooks (tests, nbgrader, slides, site) calls it first.

Command line: ``python -m landscape.execute NOTEBOOK... [--timeout S] [--inplace | --output-dir D]``
"""
import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from queue import Empty

SLICE_S = 0.05


def patch_zmq_polling(slice_s=SLICE_S):
    """Make ``AsyncZMQSocketChannel.get_msg`` poll in slices of ``slice_s`` seconds (idempotent)."""
    from jupyter_client.channels import AsyncZMQSocketChannel

    if getattr(AsyncZMQSocketChannel.get_msg, "_sliced", False):
        return

    async def get_msg(self, timeout=None):
        assert self.socket is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = slice_s if deadline is None else max(0.0, min(slice_s, deadline - time.monotonic()))
            if await self.socket.poll(int(wait * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty
            await asyncio.sleep(0)

    get_msg._sliced = True
    AsyncZMQSocketChannel.get_msg = get_msg


def execute(path, timeout=300, cwd=None, kernel_name="python3", output=None):
    """Run a notebook top to bottom and return the executed ``NotebookNode``.

    Parameters
    ----------
    path : str or Path
        The notebook.
    timeout : float
        Per-cell timeout in seconds.
    cwd : str or Path, optional
        Working directory of the kernel (default: the notebook's folder).
    output : str or Path, optional
        Where to write the executed notebook.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        With the failing cell's traceback.
    """
    import nbformat
    from nbclient import NotebookClient

    patch_zmq_polling()
    # figures must land in the executed notebook (slides, site): the kernel uses the inline
    # backend even when this process runs with MPLBACKEND=Agg
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=False,
                            resources={"metadata": {"path": str(cwd or path.parent)}})
    client.execute()
    if output is not None:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, output)
    return nb


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--output-dir", help="write executed copies here (default: do not write)")
    args = ap.parse_args(argv)
    failed = 0
    for nb in args.notebooks:
        t = time.perf_counter()
        out = Path(args.output_dir) / Path(nb).name if args.output_dir else None
        try:
            execute(nb, timeout=args.timeout, output=out)
            print(f"ok    {time.perf_counter() - t:6.1f} s  {nb}")
        except Exception as exc:  # report every notebook, then fail
            failed += 1
            print(f"FAIL  {time.perf_counter() - t:6.1f} s  {nb}\n{exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
