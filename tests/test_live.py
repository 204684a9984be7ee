"""`watch` and `preview` end to end: edit a file, see the rebuild, see the reload (loopback only)."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import ROOT, ctrl_c_reaches_child
from test_build import write_leaflet

OI = ROOT / "leaflets" / "oi-bisphosphonates.yaml"


class Proc:
    """A leafwright command running in the background, its output lines in a queue."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.p = subprocess.Popen(
            [sys.executable, "-m", "leafwright.cli", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            preexec_fn=ctrl_c_reaches_child,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.p.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, pattern: str, timeout: float = 60) -> str:
        """The next line matching ``pattern`` (lines before it are kept in ``seen``)."""
        end = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, end - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}; got {self.seen}") from None
            self.seen.append(line)
            if re.search(pattern, line):
                return line

    def stop(self) -> int:
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
            try:
                return self.p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                return self.p.wait()
        return self.p.returncode


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BODY = """\
sections:
  - heading: First
    blocks:
      - paragraph: The first version of this text.
"""


def test_watch_rebuilds_what_changed_and_keeps_going_through_an_error(tmp_path):
    src = tmp_path / "leaflets"
    src.mkdir()
    shutil.copy(OI, src)
    small = write_leaflet(src, BODY)
    out = tmp_path / "out"
    w = Proc(
        [
            "watch",
            "leaflets",
            "--variant",
            "html",
            "--out",
            "out",
            "--style",
            str(ROOT / "styles" / "default.yaml"),
        ],
        tmp_path,
    )
    try:
        w.expect(r"^watching ")
        assert sum(line.startswith("built   ") for line in w.seen) == 2
        page = out / "test-leaflet.html"
        assert "The first version" in page.read_text()

        edit(small, "The first version", "The second version")
        line = w.expect(r"^(built|failed)")
        assert line.startswith("built   test-leaflet.html  (")
        assert "The second version" in page.read_text()

        edit(small, "  - heading: First", "  - heding: First")  # a misspelt key
        line = w.expect(r"^(built|failed)")
        assert re.match(r"failed  leaflets/test-leaflet\.yaml:\d+:\d+: sections\[0\]", line), line
        assert "The second version" in page.read_text()  # the last good page stays

        edit(small, "  - heding: First", "  - heading: First")
        assert w.expect(r"^(built|failed|ok)").startswith(
            ("built   test-leaflet.html", "ok      test-leaflet.html")
        )
        # only the leaflet that changed was rebuilt: the OI page never was
        assert not [line for line in w.seen[3:] if "oi-bisphosphonates" in line]
    finally:
        code = w.stop()
    assert code == 0


def test_watch_rebuilds_every_leaflet_when_the_style_changes(tmp_path):
    from leafwright.watch import Session

    src = tmp_path / "leaflets"
    src.mkdir()
    a = write_leaflet(src, BODY, lid="a")
    b = write_leaflet(src, BODY, lid="b")
    styles = tmp_path / "styles"
    styles.mkdir()
    (styles / "brand.yaml").write_text("extends: default\ncolours: {primary: '#224466'}\n")
    s = Session((str(src),), str(styles / "brand.yaml"), str(tmp_path / "out"))
    assert s.affected([styles / "brand.yaml"]) == [a.resolve(), b.resolve()]
    assert s.affected([a]) == [a.resolve()]
    assert s.affected([tmp_path / "out" / "a.html"]) == []  # our own output never triggers a build
    assert s.affected([src / "notes.txt"]) == []
    s.inputs[b.resolve()] = {(src / "pic.png").resolve()}
    assert s.affected([src / "pic.png"]) == [b.resolve()]
    new = write_leaflet(src, BODY, lid="c")
    assert s.affected([new]) == [new.resolve()]  # a new leaflet in a watched folder joins


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Events:
    """A server-sent events stream, read in a thread: each event's data in a queue."""

    def __init__(self, host: str, port: int) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.conn.request("GET", "/_leafwright/events")
        self.resp = self.conn.getresponse()
        assert self.resp.getheader("Content-Type") == "text/event-stream"
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name = data = ""
        try:
            for raw in self.resp:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line and name:
                    self.events.put((name, data))
                    name = data = ""
        except Exception:
            pass

    def next(self, timeout: float = 30) -> tuple[str, str]:
        return self.events.get(timeout=timeout)


def test_preview_serves_the_page_and_pdf_reloads_on_save_and_shows_errors(tmp_path):
    import json

    leaflet = write_leaflet(tmp_path, BODY)
    pv = Proc(["preview", leaflet.name, "--port", "0"], tmp_path)
    try:
        url = pv.expect(r"^serving ").split()[1]
        assert url.startswith("http://127.0.0.1:")
        pv.expect(r"^built   test-leaflet\.html")
        pv.expect(r"^watching")
        status, page = _get(url)
        assert status == 200 and b"The first version" in page
        assert b'new EventSource("/_leafwright/events")' in page  # served with the reload script
        for _ in range(100):  # the PDF follows the page
            status, pdf = _get(url + "test-leaflet.pdf")
            if status == 200:
                break
            time.sleep(0.2)
        assert pdf.startswith(b"%PDF-")
        fonts = re.findall(rb'url\("(fonts/[^"]+)"\)', page)
        assert fonts and _get(url + fonts[0].decode())[1][:4] == b"wOF2"

        host, port = url[7:-1].split(":")
        ev = Events(host, int(port))
        edit(leaflet, "The first version", "The second version")
        name, data = ev.next()
        assert name == "build" and json.loads(data)["ok"] is True
        assert b"The second version" in _get(url)[1]

        edit(leaflet, "  - heading: First", "  - heding: First")
        name, data = ev.next()
        assert json.loads(data)["ok"] is False
        status, page = _get(url)
        assert status == 422
        text = page.decode()
        assert re.search(r"test-leaflet\.yaml:\d+:\d+ sections\[0\]", text)
        assert "unknown key &#39;heding&#39;" in text and "hint" in text.lower()
        assert 'new EventSource("/_leafwright/events")' in text  # the error page reloads too
        assert _get(url + "test-leaflet.pdf")[0] == 200  # the last good PDF is still there
    finally:
        code = pv.stop()
    assert code == 0


def test_the_browser_reloads_when_the_build_finishes(browser, tmp_path):
    from leafwright.preview import Preview, PreviewServer, rebuild_loop

    leaflet = write_leaflet(tmp_path, BODY)
    pv = Preview(leaflet)
    server = PreviewServer(pv, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    lines: list[str] = []
    ready = threading.Event()
    loop = threading.Thread(target=rebuild_loop, args=(pv, stop, lines.append, 20, ready.set), daemon=True)
    loop.start()
    context = browser.new_context()
    try:
        assert ready.wait(timeout=60)
        page = context.new_page()
        page.goto(server.url)
        assert "The first version" in page.inner_text("main")
        time.sleep(0.3)  # the page's event stream is open
        edit(leaflet, "The first version", "The changed version")
        page.wait_for_function(
            "document.querySelector('main').innerText.includes('The changed version')", timeout=30000
        )
        assert lines[-1].startswith("built   test-leaflet.html")
    finally:
        context.close()
        stop.set()
        pv.close()
        server.shutdown()
        server.server_close()
        loop.join(timeout=10)
