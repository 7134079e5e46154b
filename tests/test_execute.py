"""Headless execution of widget notebooks must never wait out a timeout (nbclient#312)."""
import time

import nbformat
import pytest
from jupyter_client.channels import AsyncZMQSocketChannel

from landscape.execute import execute, patch_zmq_polling

CELLS = [
    "import ipywidgets as W\nimport matplotlib.pyplot as plt\nfrom landscape import widgets",
    "s = W.FloatSlider(value=1.0)\ns",
    "def cb(a):\n    fig, ax = plt.subplots()\n    ax.plot([0, a])\n    return fig\nbox = widgets.interact(cb, a=widgets.slider(1.0, 0.0, 2.0))\nbox",
    "box.controls['a'].value = 1.5\nW.HBox([W.IntSlider(), W.Text('x')])",
    "print('done')",
]


def test_patch_is_applied_and_idempotent():
    patch_zmq_polling()
    patch_zmq_polling()
    assert getattr(AsyncZMQSocketChannel.get_msg, "_sliced", False)


@pytest.mark.notebook
def test_widget_notebook_runs_many_times_without_stalling(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    path = tmp_path / "widgets.ipynb"
    nbformat.write(nb, path)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        out = execute(path, timeout=60)
        times.append(time.perf_counter() - t)
        assert "done" in out.cells[-1].outputs[0]["text"]
    # a stall waits out the 60 s cell timeout; an unstalled run takes a few seconds
    assert max(times) < 30, times


class _StuckLongPollSocket:
    """Mimics the bug: a long (or unbounded) poll never wakes; a short poll sees the message."""

    def __init__(self):
        self.ready = False

    async def poll(self, timeout=None):
        import asyncio
        if timeout is None or timeout > 1000:
            await asyncio.Event().wait()   # never wakes
        await asyncio.sleep((timeout or 0) / 1000)
        return 1 if self.ready else 0


def test_sliced_polling_receives_a_message_a_long_poll_would_miss():
    import asyncio

    patch_zmq_polling()
    chan = AsyncZMQSocketChannel.__new__(AsyncZMQSocketChannel)
    chan.socket = _StuckLongPollSocket()

    async def recv():
        return {"msg_type": "execute_reply"}

    chan._recv = recv

    async def scenario():
        async def arrive():
            await asyncio.sleep(0.2)
            chan.socket.ready = True
        asyncio.get_running_loop().create_task(arrive())
        return await asyncio.wait_for(chan.get_msg(timeout=None), timeout=5)

    assert asyncio.run(scenario())["msg_type"] == "execute_reply"

    async def empty():
        chan.socket.ready = False
        return await chan.get_msg(timeout=0.2)

    from queue import Empty
    with pytest.raises(Empty):
        asyncio.run(empty())


@pytest.mark.notebook
def test_executed_notebooks_keep_their_figures(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")   # as in a headless test run
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])")])
    path = tmp_path / "fig.ipynb"
    nbformat.write(nb, path)
    out = execute(path, timeout=60)
    assert any("image/png" in o.get("data", {}) for o in out.cells[0].outputs)
