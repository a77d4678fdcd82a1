"""`wegweiser links`: every web address of the entries asked on a loopback server that
answers each way a real one does, the messages with their places, the gentle asking
(per host, delay, exclude list), and the committed results file (sorted, atomic, stable)."""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from collections import defaultdict
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import REPO, serving, wegweiser
from wegweiser import settings
from wegweiser.editorial import links

DAY = 1_780_000_000  # SOURCE_DATE_EPOCH of a run: 2026-05-28
DATE = dt.date(2026, 3, 2)
LATER = DAY + 7 * 86_400
TIMEOUT = "1"  # seconds: short, yet long enough for a loopback answer on a busy machine
HANG = 4.0  # seconds the /hang path waits before it answers: past the timeout


class _Handler(BaseHTTPRequestHandler):
    server: _LinkServer

    def log_message(self, *args):
        pass

    def do_HEAD(self):  # noqa: N802 - the names http.server asks for
        self._answer("HEAD")

    def do_GET(self):  # noqa: N802
        self._answer("GET")

    def _answer(self, method: str) -> None:
        host = self.headers.get("Host", "").rsplit(":", 1)[0]
        # counted as running until just before the answer leaves: the client can only
        # start its next request after it has the answer, so no overlap is counted twice
        with self.server.counting(host, method, self.path, self.headers.get("Range")):
            status, headers = self._route(method)
        self._send(status, headers)

    def _route(self, method: str) -> tuple[int, dict]:
        path = self.path
        if path == "/hang":
            time.sleep(HANG)
        if path.startswith("/slow/"):
            time.sleep(0.2)
        statuses = {"/gone": 404, "/removed": 410, "/busy": 429, "/error": 500}
        if path in statuses and path not in self.server.fixed:
            return statuses[path], {"Retry-After": "0"} if path == "/busy" else {}
        redirects = {
            "/permanent": (301, "/moved-here"),
            "/permanent-twice": (308, f"http://localhost:{self.port}/permanent"),
            "/temporary": (302, "/ok"),
            "/to-a-file": (301, "file:///etc/passwd"),
            "/to-gone": (308, "/gone"),
        }
        if path in redirects:
            return redirects[path][0], {"Location": redirects[path][1]}
        if path == "/head-refused":
            return 405 if method == "HEAD" else 206 if self.headers.get("Range") else 200, {}
        return 200, {}

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def _send(self, status: int, headers: dict | None = None) -> None:
        body = b"<!doctype html><title>x</title>"
        self.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command == "GET":
            with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                self.wfile.write(body)


class _LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, str, str | None]] = []  # host, method, path, Range
        self.running: dict[str, int] = defaultdict(int)
        self.most: dict[str, int] = defaultdict(int)  # the most requests at once, per host
        self.starts: dict[str, list[float]] = defaultdict(list)
        self.fixed: set[str] = set()  # paths that answer 200 from now on

    @contextmanager
    def counting(self, host: str, method: str, path: str, ranged: str | None):
        with self.lock:
            self.requests.append((host, method, path, ranged))
            self.running[host] += 1
            self.most[host] = max(self.most[host], self.running[host])
            self.starts[host].append(time.monotonic())
        try:
            yield
        finally:
            with self.lock:
                self.running[host] -= 1

    def asked(self, path: str) -> list[str]:
        return [method for _host, method, asked, _range in self.requests if asked == path]


@pytest.fixture
def server():
    with serving(_LinkServer()) as running:
        yield running


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def project(base: Path, files: dict[str, str], links_setting: str) -> Path:
    """A tiny project: mkdocs.yml with ``links_setting`` under extra.wegweiser, and entries."""
    (base / "mkdocs.yml").write_text(
        "site_name: Test\nsite_url: https://wegweiser.test/\nextra:\n  wegweiser:\n"
        + links_setting,
        "utf-8",
    )
    for name, text in files.items():
        path = base / "entries" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return base


def run(root: Path, *args: str, day: int = DAY):
    """`wegweiser links` as editors and the weekly job call it, with a short timeout."""
    env = {"SOURCE_DATE_EPOCH": str(day), "WEGWEISER_OFFLINE": ""}
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        env[name] = ""  # loopback is asked directly, never through a proxy of the machine
    return wegweiser(
        "links", "--root", root, "--timeout", TIMEOUT, "--retries", "1", *args, env=env
    )


def place(text: str, needle: str) -> str:
    """line:col of the first ``needle`` in ``text``."""
    before = text[: text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before.rsplit(chr(10), 1)[-1]) + 1}"


def every_kind(url: str, refused: str) -> str:
    return f"""name: Beratung Alles
category: beratungsstelle
summary: Eine Stelle mit Links jeder Art, für die Prüfung der Links.
website: {url}/gone
description: |
  Termine über [das Buchungsportal]({url}/temporary), Infos [hier]({url}/ok) und
  [alt]({url}/permanent), [weg]({url}/removed), [voll]({url}/busy).

  [Fehler]({url}/error) [HEAD]({url}/head-refused) [hängt]({url}/hang)
  [zu]({refused}/nothing) [nie]({url}/excluded/page)
address:
  city: Leer
translations:
  en:
    description: "Booking: <{url}/permanent-twice>"
verified:
  date: 2026-01-02
  by: Redaktion
"""


LINKS = "    links:\n      exclude: [{url}/excluded/, example.invalid]\n      delay: 0\n"


def test_every_kind_of_answer_is_reported_at_the_place_of_its_address(server, tmp_path):
    refused = f"http://127.0.0.1:{closed_port()}"
    elsewhere = f"http://localhost:{server.server_address[1]}"  # where /permanent-twice leads
    text = every_kind(server.url, refused)
    root = project(tmp_path, {"leer/alles.yml": text}, LINKS.format(url=server.url))
    done = run(root)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    at = f"entries/leer/alles.yml:{{}}: warning: {{}}: {server.url}"
    expected = [
        at.format("4:10", "website") + "/gone gibt es nicht mehr (HTTP 404)",
        at.format(place(text, f"{server.url}/permanent)"), "description")
        + f"/permanent ist dauerhaft umgezogen nach {server.url}/moved-here",
        at.format(place(text, f"{server.url}/removed"), "description")
        + "/removed gibt es nicht mehr (HTTP 410)",
        "entries/leer/alles.yml:{}: warning: description: Der Server von {}/busy meldet zu "
        "viele Anfragen (HTTP 429)".format(place(text, f"{server.url}/busy"), server.url),
        "entries/leer/alles.yml:{}: warning: description: Der Server von {}/error meldet einen "
        "Fehler (HTTP 500)".format(place(text, f"{server.url}/error"), server.url),
        at.format(place(text, f"{server.url}/hang"), "description")
        + "/hang ist nicht erreichbar (keine Antwort in der Wartezeit)",
        f"entries/leer/alles.yml:{place(text, refused)}: warning: description: {refused}/nothing"
        " ist nicht erreichbar (Verbindung abgelehnt)",
        at.format(place(text, f"{server.url}/permanent-twice"), "translations.en.description")
        + f"/permanent-twice ist dauerhaft umgezogen nach {elsewhere}/moved-here",
    ]
    shown = [line.split(" — ")[0] for line in done.stdout.splitlines()]
    assert shown == expected
    assert done.stdout.splitlines()[0].endswith(
        " — Suchen Sie die neue Adresse, z. B. über die Startseite der Stelle, und tragen Sie"
        " sie ein; sonst löschen Sie den Link."
    )
    assert done.stderr.strip() == (
        "11 Adressen geprüft: 6 kaputt oder nicht erreichbar, 2 umgezogen, 1 ausgelassen"
        " (extra.wegweiser.links.exclude). Ergebnisse: entries/_linkcheck.json"
    )
    # HEAD first; a GET of the first KiB only where HEAD is refused; retried where it may pass
    assert server.asked("/ok") == ["HEAD", "HEAD"]  # once itself, once behind /temporary
    assert server.asked("/head-refused") == ["HEAD", "GET"]
    assert ("127.0.0.1", "GET", "/head-refused", "bytes=0-1023") in server.requests
    assert server.asked("/busy") == server.asked("/error") == ["HEAD", "HEAD"]  # --retries 1
    assert server.asked("/gone") == ["HEAD"]  # a 404 is no passing trouble
    assert not [r for r in server.requests if r[2].startswith("/excluded")]
    strict = run(root, "--strict")
    assert strict.returncode == 1
    assert [line.split(" — ")[0] for line in strict.stdout.splitlines()] == expected


def test_english_messages_and_a_clean_run(server, tmp_path):
    text = f"name: X\nwebsite: '{server.url}/removed'\ndescription: '[ok]({server.url}/ok)'\n"
    root = project(tmp_path, {"leer/x.yml": text}, "    links: {delay: 0}\n")
    done = run(root, "--lang", "en")
    assert done.stdout == (
        f"entries/leer/x.yml:2:11: warning: website: {server.url}/removed is gone (HTTP 410) — "
        "Find the new address, e.g. from the home page of the place, and enter it; otherwise "
        "delete the link.\n"
    )
    (root / "entries" / "leer" / "x.yml").write_text(f"website: {server.url}/ok\n", "utf-8")
    clean = run(root, "--strict")
    assert (clean.returncode, clean.stdout) == (0, "")
    assert clean.stderr.startswith("1 Adressen geprüft: 0 kaputt oder nicht erreichbar")


def test_no_host_is_asked_more_than_per_host_at_once(server, tmp_path):
    port = server.server_address[1]
    hosts = (f"http://127.0.0.1:{port}", f"http://localhost:{port}")
    urls = [f"{host}/slow/{n}" for host in hosts for n in range(6)]
    text = "name: Viele\ndescription: |\n" + "".join(f"  <{url}>\n" for url in urls)
    root = project(tmp_path, {"leer/viele.yml": text}, "    links: {per_host: 2, delay: 0}\n")
    done = run(root)
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    assert set(server.most) == {"127.0.0.1", "localhost"}
    assert max(server.most.values()) <= 2  # at most per_host at once, never more


def test_requests_to_one_host_start_delay_apart_and_other_hosts_do_not_wait():
    gate = links.HostGate(per_host=2, delay=0.1)
    starts: dict[str, list[float]] = defaultdict(list)

    def ask(host: str) -> None:
        with gate.slot(host):
            starts[host].append(time.monotonic())
            time.sleep(0.01)

    threads = [threading.Thread(target=ask, args=(h,)) for h in ["a.example"] * 4 + ["b.example"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = sorted(starts["a.example"])
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.095
    assert starts["b.example"][0] < times[-1]  # b.example is not queued behind a.example


def test_the_results_file_is_sorted_written_atomically_and_only_when_something_changed(
    server, tmp_path
):
    text = f"""name: A
website: {server.url}/gone
description: "[b]({server.url}/permanent) [a]({server.url}/ok) [c]({server.url}/ok)"
"""
    other = f"name: B\nwebsite: {server.url}/ok\n"
    files = {"leer/a.yml": text, "bunde/b.yml": other}
    root = project(tmp_path, files, "    links: {delay: 0}\n")
    results = root / "entries" / "_linkcheck.json"
    assert run(root).returncode == 0
    body = results.read_text("utf-8")
    assert body == (
        '{"format": 1, "about": "Geprüfte Links, von `wegweiser links` gepflegt.", "links": {\n'
        f'  "{server.url}/gone": {{"checked": "2026-05-28", "entries": ["entries/leer/a.yml"], '
        '"status": 404},\n'
        f'  "{server.url}/ok": {{"checked": "2026-05-28", "entries": ["entries/bunde/b.yml", '
        '"entries/leer/a.yml"], "status": 200},\n'
        f'  "{server.url}/permanent": {{"checked": "2026-05-28", "entries": '
        f'["entries/leer/a.yml"], "moved": "{server.url}/moved-here", "status": 200}}\n'
        "}}\n"
    )
    assert [p.name for p in results.parent.iterdir() if p.is_file()] == ["_linkcheck.json"]
    before = results.stat()
    again = run(root, day=LATER)  # a week later, the same answers: the file stays as it was
    assert again.returncode == 0
    assert results.read_text("utf-8") == body
    assert (results.stat().st_mtime_ns, results.stat().st_ino) == (
        before.st_mtime_ns,
        before.st_ino,
    )

    server.fixed.add("/gone")  # the page is back: one line changes, with the new day
    assert run(root, day=LATER).returncode == 0
    changed = results.read_text("utf-8").splitlines()
    assert changed[1] == (
        f'  "{server.url}/gone": {{"checked": "2026-06-04", "entries": ["entries/leer/a.yml"], '
        '"status": 200},'
    )
    assert changed[2:] == body.splitlines()[2:]
    assert results.stat().st_ino != before.st_ino  # replaced whole (os.replace), never in place
    assert [p.name for p in results.parent.iterdir() if p.is_file()] == ["_linkcheck.json"]

    read = links.read_results(results)
    assert read[f"{server.url}/ok"] == links.LinkResult(
        200, checked="2026-05-28", entries=("entries/bunde/b.yml", "entries/leer/a.yml")
    )
    assert [url for url, result in read.items() if result.broken] == []
    assert read[f"{server.url}/permanent"].moved == f"{server.url}/moved-here"


def test_only_checks_one_file_and_keeps_the_others_results(server, tmp_path):
    files = {
        "leer/a.yml": f"name: A\nwebsite: {server.url}/gone\n",
        "bunde/b.yml": f"name: B\nwebsite: {server.url}/removed\n",
    }
    root = project(tmp_path, files, "    links: {delay: 0}\n")
    assert run(root).returncode == 0
    server.requests.clear()
    done = run(root, "--only", str(root / "entries" / "leer" / "a.yml"), "--strict")
    assert done.returncode == 1
    assert done.stdout.startswith(f"entries/leer/a.yml:2:10: warning: website: {server.url}/gone")
    assert "removed" not in done.stdout
    assert [path for _h, _m, path, _r in server.requests] == ["/gone"]
    kept = links.read_results(root / "entries" / "_linkcheck.json")
    assert kept[f"{server.url}/removed"].status == 410
    missing = run(root, "--only", "entries/leer/nicht-da.yml")
    assert missing.returncode == 2
    assert (
        "entries/leer/nicht-da.yml:1:1: error: Die Datei lässt sich nicht lesen" in missing.stderr
    )


def test_a_results_file_it_cannot_read_is_never_overwritten(tmp_path):
    root = project(tmp_path, {"leer/a.yml": "name: A\n"}, "")
    results = root / "entries" / "_linkcheck.json"
    results.write_text('{"links": {"https://a.example/": {"status": "200"}}}', "utf-8")
    done = run(root)
    assert done.returncode == 2
    assert done.stderr.startswith(
        "entries/_linkcheck.json:1:1: error: Die Datei lässt sich nicht lesen (TypeError: status"
    )
    assert "Traceback" not in done.stderr
    assert results.read_text("utf-8").startswith('{"links"')
    with pytest.raises(links.ResultsError):
        links.read_results(results)
    assert links.read_results(tmp_path / "nowhere.json") == {}


BAD_SETTINGS = [
    ("      exclude: [https://ok.example/, 42]\n", "exclude", "42 ist weder Anfang einer Adresse"),
    ("      exclude: [www.facebook.com/gruppe]\n", "exclude", "'www.facebook.com/gruppe' ist"),
    ("      exclude: facebook.com\n", "exclude", "exclude muss eine Liste sein"),
    ("      per_host: 0\n", "per_host", "per_host muss eine ganze Zahl größer als 0"),
    ("      delay: -1\n", "delay", "delay muss eine Zahl ab 0 sein (Sekunden), nicht -1"),
    ("      exlude: [x.example]\n", "exlude", "unbekannte Einstellung links.exlude"),
]


@pytest.mark.parametrize(("line", "key", "wrong"), BAD_SETTINGS)
def test_a_bad_links_setting_is_an_error_at_its_place(tmp_path, line, key, wrong):
    root = project(tmp_path, {"leer/a.yml": "name: A\n"}, "    links:\n" + line)
    with pytest.raises(settings.SettingsError) as caught:
        settings.read_project(root)
    (problem,) = caught.value.problems
    lines = (root / "mkdocs.yml").read_text("utf-8").splitlines()
    row = next(i for i, text in enumerate(lines, 1) if f"{key}:" in text)
    assert re.match(rf"mkdocs\.yml:{row}:\d+: error: ", problem), problem
    assert wrong in problem


def test_the_command_stops_at_a_bad_setting_before_asking_anyone(tmp_path):
    root = project(tmp_path, {"leer/a.yml": "name: A\n"}, "    links:\n      exclude: [42]\n")
    done = run(root)
    assert done.returncode == 2
    assert done.stderr.startswith(
        "mkdocs.yml:6:17: error: 42 ist weder Anfang einer Adresse noch Servername"
    )
    assert "Traceback" not in done.stderr
    assert not (root / "entries" / "_linkcheck.json").exists()


def test_the_addresses_of_an_entry_and_their_places(tmp_path):
    text = """name: Ort
website: "https://ort.example/start"
summary: Steht nur da, https://kein-link.example ist kein Link.
description: |
  Erst [Termin](https://buchung.example/a?b=1 "Titel") dann <https://ort.example/start>.

  [Verweis]: http://alt.example/x
contacts:
  - role: Buchung
    note: 'https://buchung.example/kontakt'
"""
    path = tmp_path / "ort.yml"
    path.write_text(text, "utf-8")
    found = [
        (link.line, link.col, link.field, link.url)
        for link in links.links_in_file(path, "entries/leer/ort.yml")
    ]
    assert found == [
        (2, 11, "website", "https://ort.example/start"),
        (5, 17, "description", "https://buchung.example/a?b=1"),
        (5, 62, "description", "https://ort.example/start"),
        (7, 14, "description", "http://alt.example/x"),
        (10, 12, "contacts[1].note", "https://buchung.example/kontakt"),
    ]
    path.write_text("name: [unclosed\n", "utf-8")
    assert links.links_in_file(path, "x.yml") == []  # `wegweiser check` says why


def test_the_exclude_list_takes_beginnings_and_hosts_with_their_subdomains():
    patterns = ("https://www.facebook.com/", "instagram.com")
    assert links.excluded("https://www.facebook.com/gruppe", patterns)
    assert links.excluded("HTTPS://WWW.FACEBOOK.COM/x", patterns)
    assert not links.excluded("https://facebook.com/gruppe", patterns)
    assert links.excluded("https://instagram.com/x", patterns)
    assert links.excluded("https://www.instagram.com./x", patterns)
    assert not links.excluded("https://notinstagram.com/", patterns)


def test_the_check_never_runs_in_a_build_or_a_pull_request_check():
    hook = (REPO / "hooks" / "wegweiser_hooks.py").read_text("utf-8")
    adapter = (REPO / "hooks" / "wegweiser" / "mkdocs_adapter.py").read_text("utf-8")
    pipeline = (REPO / "hooks" / "wegweiser" / "pipeline.py").read_text("utf-8")
    for text in (hook, adapter, pipeline):
        assert "editorial.links" not in text and "import links" not in text
    for workflow in ("pruefen.yml", "veroeffentlichen.yml", "formular.yml"):
        assert "wegweiser links" not in (REPO / ".github" / "workflows" / workflow).read_text()


def test_offline_means_no_request(server, tmp_path):
    root = project(tmp_path, {"leer/a.yml": f"website: {server.url}/ok\n"}, "")
    done = wegweiser("links", "--root", root, env={"WEGWEISER_OFFLINE": "1"})
    assert done.returncode == 2
    assert "WEGWEISER_OFFLINE ist gesetzt: keine Adresse geprüft" in done.stderr
    assert server.requests == []


def test_results_keep_their_day_while_the_answer_stays_the_same():
    link = links.Link("entries/a.yml", 1, 1, "https://a.example/", "website")
    old = {"https://a.example/": links.LinkResult(404, checked="2026-01-01")}
    same = links.merge_results(old, {"https://a.example/": links.LinkResult(404)}, [link], DATE)
    assert same["https://a.example/"].checked == "2026-01-01"
    moved = links.LinkResult(200, moved="https://b.example/")
    new = links.merge_results(old, {"https://a.example/": moved}, [link], DATE)
    assert new["https://a.example/"].checked == DATE.isoformat()
    assert links.merge_results(old, {}, [], DATE) == {}  # no entry names it any more


def test_the_weekly_job_proposes_changed_results_as_a_pull_request(tmp_path):
    from test_workflows import GH, FakeGitHub

    github = FakeGitHub(tmp_path)
    work = github.checkout()
    step = "Ergebnisse als Pull Request vorschlagen, prüfen, Bericht als Kommentar"
    quiet = github.step("pflege.yml", "links", step, work, GH)
    assert quiet.result.returncode == 0, quiet.result.stderr
    assert "Keine neuen Ergebnisse der Linkprüfung." in quiet.result.stdout
    assert quiet.calls == []
    gone = links.LinkResult(404, checked="2026-05-28", entries=("entries/leer/x.yml",))
    links.write_results(work / "entries" / "_linkcheck.json", {"https://a.example/": gone})
    proposed = github.step("pflege.yml", "links", step, work, GH)
    assert proposed.result.returncode == 0, proposed.result.stdout + proposed.result.stderr
    assert len(proposed.called("pr", "create", "--head", "pflege/links")) == 1
    assert len(proposed.called("pr", "comment", "pflege/links")) == 1


def test_the_editors_find_the_command_and_its_settings_in_the_readme():
    readme = (REPO / "README.md").read_text("utf-8")
    assert ".venv/bin/wegweiser links" in readme
    for word in ("`exclude`", "`per_host`", "`delay`", "`--strict`", "entries/_linkcheck.json"):
        assert word in readme, word
    chosen = settings.read_project(REPO, settings.Environment())
    assert chosen.links == settings.LinkSettings(exclude=(), per_host=2, delay=1.0)


def test_a_redirect_leads_only_to_web_addresses_and_a_broken_target_is_no_move(server):
    checker = links.LinkChecker(links.Options(timeout=float(TIMEOUT), retries=0, delay=0))
    assert checker.check(f"{server.url}/to-a-file") == links.LinkResult(error="bad_address")
    assert checker.check(f"{server.url}/to-gone") == links.LinkResult(404)
    assert checker.check(f"{server.url}/temporary") == links.LinkResult(200)
    assert server.asked("/etc/passwd") == []
