"""``leafwright preview FILE``: the web edition served on 127.0.0.1, rebuilt and reloaded on save.

The edition is built in this (warm) process and served straight from memory: the page,
its fonts and pictures, and the standard PDF (made after the page, so the page is never
kept waiting for it). A page served by the preview carries a few lines of script that
listen for server-sent events on ``/_leafwright/events`` and reload when a build
finishes; the files ``build`` writes carry none. When the leaflet does not build, the
page shows each error with its file, line and column instead of a stale page. The
server listens on the loopback address only and opens no browser unless asked.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .errors import Diagnostic, LeafwrightError

EVENTS = "/_leafwright/events"
STATE = "/_leafwright/state"

#: Injected before </body> of a served page: reload when a build finishes (server-sent events).
RELOAD_SCRIPT = b"""<script>
// leafwright preview: reload when the build finishes
new EventSource("/_leafwright/events").addEventListener("build", function () { location.reload(); });
</script>
"""


@dataclass
class Snapshot:
    """The latest build: a page (or an error page) and the files it uses."""

    build: int = 0
    ok: bool = False
    page: bytes = b""
    page_name: str = "index.html"
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    """Path -> (bytes, content type) of everything servable besides the page."""
    errors: list[str] = field(default_factory=list)


class Preview:
    """Builds one leaflet into memory and tells waiting browsers when a build is done."""

    def __init__(self, leaflet: str | Path, style_name: str = "default") -> None:
        from .errors import display_path

        self.leaflet = Path(leaflet)
        self.display = display_path(self.leaflet)
        self.style_name = style_name
        self.snapshot = Snapshot()
        self.cond = threading.Condition()
        self.closed = False
        self.inputs: set[Path] = set()
        """The pictures the leaflet used at its last build (a change to one rebuilds it)."""

    # --- building ----------------------------------------------------------------------

    def _job(self, variant: str):
        from .batch import Job
        from .cli import project_style_dirs
        from .style import resolve_style

        style = resolve_style(self.style_name, project_style_dirs([self.leaflet]))
        # the page links to the PDF the preview serves beside it
        return Job(
            str(self.leaflet), self.display, str(style.chain.files[-1]), variant, "", links=("standard",)
        )

    def build_page(self) -> tuple[bool, list[Diagnostic]]:
        """Build the web edition into memory and publish it (or an error page). Returns (ok, diagnostics)."""
        from .batch import run_job

        diags: list[Diagnostic] = []
        try:
            result = run_job(self._job("html"))  # writes nothing: the files come back as bytes
        except LeafwrightError as exc:  # the style cannot be resolved
            diags = list(exc.diagnostics)
        else:
            self.inputs = {Path(i) for i in result.inputs}
            if result.ok and result.files:
                name, page = result.files[0]
                files = {n: (data, _content_type(n)) for n, data in result.assets}
                self._publish(True, page, name, files, [])
                return True, []
            diags = list(result.diagnostics)
            if result.internal_error:  # a bug: shown in the page too, never a dead server
                diags.append(Diagnostic(f"internal error: {result.internal_error}", file=self.display))
            if result.withdrawn:
                diags.append(Diagnostic("the leaflet is withdrawn (status: withdrawn)", file=self.display))
        self._publish(
            False, error_page(self.display, diags), None, None, [d.format(caret=False) for d in diags]
        )
        return False, diags

    def build_pdf(self) -> bool:
        """Build the standard PDF into memory (served at ``/<id>.pdf``)."""
        from .batch import run_job

        try:
            result = run_job(self._job("standard"))
        except LeafwrightError:  # the page already shows what is wrong
            return False
        if not (result.ok and result.files):
            return False
        name, pdf = result.files[0]
        with self.cond:
            self.snapshot.files[name] = (pdf, "application/pdf")
        return True

    def _publish(
        self, ok: bool, page: bytes, name: str | None, files: dict | None, errors: list[str]
    ) -> None:
        with self.cond:
            old = self.snapshot
            # a failed build keeps the last good files; the last good PDF stays until a new one
            kept = (
                dict(old.files)
                if files is None
                else {**files, **{k: v for k, v in old.files.items() if k.endswith(".pdf")}}
            )
            self.snapshot = Snapshot(old.build + 1, ok, page, name or old.page_name, kept, errors)
            self.cond.notify_all()

    # --- waiting -----------------------------------------------------------------------

    def wait_for_build(self, after: int, timeout: float) -> Snapshot:
        """The snapshot once its build number passes ``after`` (or the current one at timeout)."""
        with self.cond:
            self.cond.wait_for(lambda: self.snapshot.build > after or self.closed, timeout)
            return self.snapshot

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()


def _content_type(name: str) -> str:
    return {
        ".woff2": "font/woff2",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".svg": "image/svg+xml",
        ".pdf": "application/pdf",
        ".html": "text/html; charset=utf-8",
    }.get(Path(name).suffix.lower(), "application/octet-stream")


def error_page(file: str, diagnostics: list[Diagnostic]) -> bytes:
    """The page shown instead of the leaflet when it does not build: every error, located."""
    from .web.markup import environment

    return (
        environment()
        .get_template("preview-error.html.j2")
        .render(file=file, diagnostics=diagnostics)
        .encode()
    )


def with_reload(page: bytes) -> bytes:
    """The page with the reload script before ``</body>``."""
    at = page.rfind(b"</body>")
    return page[:at] + RELOAD_SCRIPT + page[at:] if at >= 0 else page + RELOAD_SCRIPT


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    """A request handler serving ``preview``'s latest snapshot."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "leafwright-preview"

        def log_message(self, format: str, *args: Any) -> None:  # the terminal shows builds, not requests
            pass

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            snap = preview.snapshot
            if path == EVENTS:
                return self._events()
            if path == STATE:
                state = {"build": snap.build, "ok": snap.ok, "page": snap.page_name, "errors": snap.errors}
                return self._send(HTTPStatus.OK, json.dumps(state).encode(), "application/json")
            if path in ("/", "/" + snap.page_name, "/index.html"):
                if not snap.page:
                    return self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"building...", "text/plain")
                status = HTTPStatus.OK if snap.ok else HTTPStatus.UNPROCESSABLE_ENTITY
                return self._send(status, with_reload(snap.page), "text/html; charset=utf-8")
            hit = snap.files.get(path.lstrip("/"))
            if hit is not None:
                return self._send(HTTPStatus.OK, hit[0], hit[1])
            if path.endswith(".pdf"):
                return self._send(
                    HTTPStatus.SERVICE_UNAVAILABLE, b"the PDF is being made; try again", "text/plain"
                )
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")

        def _events(self) -> None:
            """Server-sent events: one 'build' event each time a build finishes."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = preview.snapshot.build
            try:
                self.wfile.write(b"retry: 500\n\n")
                self.wfile.flush()
                while not preview.closed:
                    snap = preview.wait_for_build(seen, timeout=10)
                    if preview.closed:
                        break
                    if snap.build > seen:
                        seen = snap.build
                        data = json.dumps({"build": snap.build, "ok": snap.ok})
                        self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server on 127.0.0.1 (never another interface)."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), make_handler(preview))
        self.preview = preview

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


def rebuild_loop(
    preview: Preview,
    stop: threading.Event,
    on_line: Callable[[str], None] = print,
    step_ms: int = 20,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Build now, then again after every save that touches the leaflet, until ``stop`` is set."""
    from .watch import Session, one_line, watch_changes

    session = Session((str(preview.leaflet),), preview.style_name, out_dir=None)
    leaflet = preview.leaflet.resolve()

    def build() -> None:
        start = time.perf_counter()
        ok, diags = preview.build_page()
        ms = (time.perf_counter() - start) * 1000
        if ok:
            on_line(f"built   {preview.snapshot.page_name}  ({ms:.0f} ms)")
            preview.build_pdf()
        else:
            on_line("failed  " + one_line(diags[0], len(diags) - 1) if diags else "failed")
        session.inputs[leaflet] = preview.inputs
        session.failed = set() if ok else {leaflet}

    build()
    for changed in watch_changes(session.roots(), stop_event=stop, step_ms=step_ms, on_ready=on_ready):
        if session.affected(changed):
            build()
