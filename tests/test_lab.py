"""`make lab` serves JupyterLab on localhost with the project's kernel, where `import landscape` works."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    port = free_port()
    args = f"--no-browser --port={port} --ServerApp.port_retries=0 --IdentityProvider.token='' --ServerApp.password=''"
    proc = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/api/status", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("`make lab` exited before serving")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        yield base
    finally:
        stop(proc)


def stop(proc):
    """Stop what we started, by its process group."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=20)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.read().decode()


def test_lab_serves_the_book(lab):
    with urllib.request.urlopen(lab + "/", timeout=10) as r:   # opens on the table of contents
        assert r.geturl().endswith("/lab/tree/chapters/index.ipynb")
    status, page = get(lab + "/lab/tree/chapters/index.ipynb")
    assert status == 200 and "JupyterLab" in page
    status, body = get(lab + "/api/contents/chapters/index.ipynb")
    assert json.loads(body)["type"] == "notebook"


def test_the_kernel_is_the_projects_and_imports_landscape(lab):
    _, body = get(lab + "/api/kernelspecs")
    specs = json.loads(body)
    spec = specs["kernelspecs"][specs["default"]]["spec"]
    python = Path(spec["argv"][0])
    assert python.resolve() == Path(sys.executable).resolve() or str(ROOT / ".venv") in str(python)
    km, kc = start_new_kernel(kernel_name=specs["default"])
    try:
        reply = kc.execute_interactive("import landscape, sys; print(landscape.__file__, sys.prefix)", timeout=60)
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
