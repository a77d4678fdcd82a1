"""``wegweiser links``: every web address in the entries asked once, gently, and the answers
kept in ``entries/_linkcheck.json`` for the editors (and ``wegweiser attention``).

Asked the way hecat checks links: HEAD first, a small ranged GET where a server refuses
HEAD, a timeout, a few retries with backoff, redirects followed (a permanent one is
reported with the new address), at most ``per_host`` requests to one host at a time and
``delay`` seconds between them. Never part of a build or a pull-request check: other
people's servers fail for reasons no volunteer can fix, so a broken link is a warning and
only ``--strict`` makes it an exit status.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import errno
import http.client
import itertools
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from wegweiser import settings
from wegweiser.core.files import json_lines, write_atomically
from wegweiser.core.findings import ERROR, WARNING, Finding, format_text, read_locale, sort_key
from wegweiser.core.lists import shown_path
from wegweiser.core.loader import LoadError, load_bytes
from wegweiser.core.schemacheck import field_label
from wegweiser.core.validate import MARKDOWN_LINK, entry_files

RESULTS_NAME = "_linkcheck.json"
RESULTS_FORMAT = 1
WEB = ("http://", "https://")

# -- the links of the entries ---------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Link:
    """One web address where an entry names it: the line and column of the address itself."""

    path: str  # the entry file as messages show it, e.g. entries/leer/x.yml
    line: int
    col: int
    url: str
    field: str  # website, description, translations.en.description …


def find_links(root: Path, entries_dir: Path) -> list[Link]:
    """Every web address of every entry file, in file order."""
    return [
        link
        for path in entry_files(entries_dir)
        for link in links_in_file(path, shown_path(path, root))
    ]


def links_in_file(path: Path, shown: str) -> list[Link]:
    """The web addresses of one entry file: each value that is one, and each Markdown link
    to one. A file that does not load has none here (``wegweiser check`` says why)."""
    try:
        data = path.read_bytes()
        doc = load_bytes(data)
    except (OSError, LoadError):
        return []
    text = data.decode("utf-8-sig")
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    found = []
    for where, value in _strings(doc.value):
        place = doc.where(where)
        cursor = starts[min(place[0], len(starts)) - 1]  # the URL is on the value's line or below
        for url in urls_in(value):
            line, col = place  # where YAML escapes changed the URL: the value's own place
            if (at := text.find(url, cursor)) >= 0:
                line = text.count("\n", 0, at) + 1
                col, cursor = at - starts[line - 1] + 1, at + len(url)
            found.append(Link(shown, line, col, url, field_label(where)))
    return found


def _strings(value, where: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, (*where, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, (*where, index))
    elif isinstance(value, str):
        yield where, value


def urls_in(text: str) -> list[str]:
    """The value itself when it is a web address, else the web addresses it links in Markdown."""
    if text.lower().startswith(WEB) and not any(char.isspace() for char in text):
        return [text]
    targets = (next(g for g in m.groups() if g is not None) for m in MARKDOWN_LINK.finditer(text))
    return [target for target in targets if target.lower().startswith(WEB)]


def excluded(url: str, patterns: Iterable[str]) -> bool:
    """An address under one of ``patterns`` (``extra.wegweiser.links.exclude``): the beginning
    of addresses (``https://www.facebook.com/``), or a host name, which takes its subdomains
    along (``facebook.com`` also leaves out ``www.facebook.com``)."""
    host = _host(url)
    for pattern in patterns:
        if "://" in pattern:
            if url.casefold().startswith(pattern.casefold()):
                return True
        elif host == (name := pattern.casefold().strip(".")) or host.endswith("." + name):
            return True
    return False


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:  # a bracketed host that is no IPv6 address
        return ""


# -- the results file -----------------------------------------------------------------------


@dataclass(frozen=True)
class LinkResult:
    """What one address answered, as committed in ``entries/_linkcheck.json``."""

    status: int | None = None  # the last HTTP status; None when no server answered
    error: str = ""  # why none answered: timeout, refused, dns, tls, redirects, failed …
    moved: str = ""  # the new address after permanent redirects (301, 308)
    checked: str = ""  # the day a check found this result; an unchanged result keeps it
    entries: tuple[str, ...] = ()  # the entry files that name the address

    @property
    def broken(self) -> bool:
        return bool(self.error) or self.status is None or self.status >= 400

    def same_answer(self, other: LinkResult | None) -> bool:
        return other is not None and (self.status, self.error, self.moved) == (
            other.status,
            other.error,
            other.moved,
        )

    def as_json(self) -> dict:
        record = {"checked": self.checked, "entries": list(self.entries)}
        record |= {"error": self.error, "moved": self.moved, "status": self.status}
        return {key: record[key] for key in sorted(record) if record[key] not in ("", None)}

    @classmethod
    def from_json(cls, record: Mapping) -> LinkResult:
        status = record.get("status")
        if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
            raise TypeError(f"status {status!r}")
        texts = {key: record.get(key, "") for key in ("error", "moved", "checked")}
        entries = record.get("entries", [])
        if not all(isinstance(v, str) for v in [*texts.values(), *entries]):
            raise TypeError("error, moved, checked and entries are texts")
        return cls(status, entries=tuple(entries), **texts)


class ResultsError(Exception):
    """The results file exists but cannot be read; it is then never overwritten."""


def read_results(path: Path) -> dict[str, LinkResult]:
    """The committed results, address → LinkResult; empty before the first run.

    For ``wegweiser attention`` too: ``{u: r for u, r in read_results(p).items() if r.broken}``.
    Raises ResultsError for a file that is there but not ours to read (or a symlink).
    """
    if path.is_symlink():  # would read (and be replaced by) a file outside the project
        raise ResultsError("symlink")
    if not path.exists():
        return {}
    try:
        links = json.loads(path.read_text("utf-8"))["links"]
        return {str(url): LinkResult.from_json(record) for url, record in links.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ResultsError(f"{type(exc).__name__}: {exc}") from None


def write_results(path: Path, results: Mapping[str, LinkResult]) -> bool:
    """Sorted, one address per line, atomically; False (and untouched) when nothing changed."""
    head = {"format": RESULTS_FORMAT, "about": "Geprüfte Links, von `wegweiser links` gepflegt."}
    records = {url: results[url].as_json() for url in sorted(results)}
    text = json_lines(head, "links", records)
    if path.is_file() and path.read_text("utf-8") == text:
        return False
    write_atomically(path, text)
    return True


def merge_results(
    old: Mapping[str, LinkResult],
    new: Mapping[str, LinkResult],
    links: Iterable[Link],
    today: dt.date,
) -> dict[str, LinkResult]:
    """The results to keep: one per address the entries name (``links``, the excluded ones
    left out by the caller), newly checked or as before; an address no entry names any
    more is dropped. An answer like the last one keeps its date, so a run that finds what
    the last one found leaves the file as it was."""
    named: dict[str, set[str]] = defaultdict(set)
    for link in links:
        named[link.url].add(link.path)
    kept = {}
    for url, paths in named.items():
        result, before = new.get(url), old.get(url)
        if result is None and before is None:
            continue  # not checked yet (--only another file)
        if result is None:
            result = before
        else:
            checked = before.checked if result.same_answer(before) else today.isoformat()
            result = dataclasses.replace(result, checked=checked)
        kept[url] = dataclasses.replace(result, entries=tuple(sorted(paths)))
    return kept


# -- asking the servers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """How `wegweiser links` asks: the flags (timeout, retries) and mkdocs.yml (per_host, delay)."""

    timeout: float = 10.0  # seconds for each connection and each read
    retries: int = 2  # more tries after a timeout, a broken connection, 429 or 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled for each further one
    per_host: int = 2
    delay: float = 1.0
    workers: int = 8  # requests at the same time, over all hosts
    max_redirects: int = 10
    user_agent: str = "Wegweiser"


HEAD_REFUSED = {400, 403, 405, 406, 501}  # some servers answer HEAD so; a GET tells the truth
RETRIED_STATUS = {429, 500, 502, 503, 504}
RETRIED_ERRORS = {"timeout", "refused", "failed"}
PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for longer gets its answer next week


class HostGate:
    """At most ``per_host`` requests to one host at a time, their starts ``delay`` apart."""

    def __init__(self, per_host: int, delay: float):
        self.per_host, self.delay = per_host, delay
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Semaphore, threading.Lock, list[float]]] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = (threading.Semaphore(self.per_host), threading.Lock(), [0.0])
            running, spacing, next_start = self._hosts[host]
        with running:
            with spacing:  # one request at a time waits for its turn to start
                time.sleep(max(0.0, next_start[0] - time.monotonic()))
                next_start[0] = time.monotonic() + self.delay
            yield


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Every redirect comes back as an answer: we follow it ourselves and see if it is permanent."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass(frozen=True)
class _Answer:
    status: int
    location: str = ""
    retry_after: float | None = None


class _NoAnswer(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class LinkChecker:
    """Asks servers about addresses, gently; ``check`` never raises."""

    def __init__(self, options: Options):
        self.options = options
        self.gate = HostGate(options.per_host, options.delay)
        self.opener = urllib.request.build_opener(_NoRedirects)

    def check(self, url: str) -> LinkResult:
        try:
            return self._follow(url)
        except _NoAnswer as failure:
            return LinkResult(error=failure.reason)
        except Exception:  # anything unforeseen is one broken link, never a traceback
            return LinkResult(error="failed")

    def _follow(self, url: str) -> LinkResult:
        """Redirects followed; the new address is where the permanent ones (from the start) lead."""
        address, moved, permanent = url, "", True
        for _hop in range(self.options.max_redirects + 1):
            answer = self._ask(address)
            if answer.status not in REDIRECTS or not answer.location:
                ok = answer.status < 400
                return LinkResult(answer.status, moved=moved if ok else "")
            address = urljoin(address, answer.location)
            permanent = permanent and answer.status in PERMANENT
            moved = address if permanent else moved
        raise _NoAnswer("redirects")

    def _ask(self, url: str) -> _Answer:
        """One address, with retries after a passing trouble (backoff, or Retry-After)."""
        for attempt in itertools.count():
            last = attempt >= self.options.retries
            wait = self.options.backoff * 2**attempt
            try:
                answer = self._head_then_get(url)
            except _NoAnswer as failure:
                if last or failure.reason not in RETRIED_ERRORS:
                    raise
            else:
                if last or answer.status not in RETRIED_STATUS:
                    return answer
                if answer.retry_after is not None:
                    wait = answer.retry_after
            time.sleep(min(wait, MAX_RETRY_AFTER))
        raise AssertionError("unreachable")  # pragma: no cover

    def _head_then_get(self, url: str) -> _Answer:
        answer = self._request(url, "HEAD")
        if answer.status in HEAD_REFUSED:
            answer = self._request(url, "GET")
        return answer

    def _request(self, url: str, method: str) -> _Answer:
        headers = {"User-Agent": self.options.user_agent, "Accept": "*/*"}
        if method == "GET":
            headers["Range"] = "bytes=0-1023"  # the first KiB is enough to know it is there
        if not url.lower().startswith(WEB):  # a redirect to file:, ftp:, data: is never followed
            raise _NoAnswer("bad_address")
        try:
            request = urllib.request.Request(_ascii_address(url), headers=headers, method=method)
        except (ValueError, UnicodeError):
            raise _NoAnswer("bad_address") from None
        with self.gate.slot(_host(url)):
            try:
                with self.opener.open(request, timeout=self.options.timeout) as response:
                    response.read(1024 if method == "GET" else 0)
                    return _Answer(response.status)
            except urllib.error.HTTPError as error:
                error.close()
                location = error.headers.get("Location", "")
                return _Answer(error.code, location, _retry_after(error.headers))
            except (OSError, http.client.HTTPException, ValueError) as error:
                raise _NoAnswer(_reason(error)) from None


def _ascii_address(url: str) -> str:
    """The address as a request line needs it: the host in IDNA, the rest percent-encoded."""
    parts = urlsplit(url)
    netloc = parts.netloc if parts.netloc.isascii() else parts.netloc.encode("idna").decode()
    safe = "/%:@!$&'()*+,;=-._~"
    path, query = quote(parts.path, safe=safe), quote(parts.query, safe=safe + "?")
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _retry_after(headers) -> float | None:
    try:
        return max(0.0, float(headers.get("Retry-After", "")))
    except ValueError:  # missing, or an HTTP date: the usual backoff
        return None


def _reason(error: Exception) -> str:
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    kinds = [
        (ssl.SSLError, "tls"),
        (TimeoutError, "timeout"),
        (socket.gaierror, "dns"),
        (ConnectionRefusedError, "refused"),
        ((ValueError, UnicodeError, str), "bad_address"),
    ]
    return next((reason for kind, reason in kinds if isinstance(cause, kind)), "failed")


def check_addresses(urls: Iterable[str], options: Options) -> dict[str, LinkResult]:
    """Every address asked once, several at a time, hosts taking turns."""
    ordered = _by_turns(urls)
    if not ordered:
        return {}
    checker = LinkChecker(options)
    pool = ThreadPoolExecutor(max_workers=min(options.workers, len(ordered)))
    try:
        return dict(zip(ordered, pool.map(checker.check, ordered), strict=True))
    finally:  # Ctrl-C: no further request starts
        pool.shutdown(wait=True, cancel_futures=True)


def _by_turns(urls: Iterable[str]) -> list[str]:
    """Sorted by address, then hosts interleaved, so the workers are not all queued at one."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in sorted(set(urls)):
        by_host[_host(url)].append(url)
    return [url for turn in itertools.zip_longest(*by_host.values()) for url in turn if url]


# -- the command ----------------------------------------------------------------------------


def finding(link: Link, result: LinkResult) -> Finding | None:
    """The warning for one place that names a broken or moved address; None when it is fine."""
    params = {"field": link.field, "url": link.url, "status": result.status}
    if result.error:
        code, params["reason"] = "link.unreachable", f"link.{result.error}"
    elif result.broken:
        code = _status_code(result.status or 0)
    elif result.moved:
        code, params["new"] = "link.moved", result.moved
    else:
        return None
    return Finding(link.path, link.line, link.col, WARNING, code, params)


def _status_code(status: int) -> str:
    if status in (404, 410):
        return "link.gone"
    if status == 429:
        return "link.busy"
    return "link.server" if status >= 500 else "link.status"


def add_parser(sub, common) -> None:
    parser = sub.add_parser(
        "links",
        help="jede Web-Adresse der Einträge prüfen (Ergebnisse: entries/_linkcheck.json)",
    )
    parser.add_argument(
        "--only",
        type=Path,
        action="append",
        metavar="DATEI",
        help="nur die Adressen dieser Eintragsdatei prüfen (mehrmals möglich)",
    )
    parser.add_argument(
        "--timeout", type=_seconds, default=Options.timeout, help="Sekunden je Anfrage (10)"
    )
    parser.add_argument(
        "--retries", type=_count, default=Options.retries, help="weitere Versuche nach Störung (2)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="Exit-Status 1, wenn ein Link kaputt ist"
    )
    common(parser)
    parser.set_defaults(run=run_links)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 3600:
        raise argparse.ArgumentTypeError(f"Sekunden größer als 0 / seconds above 0: {text!r}")
    return value


def _count(text: str) -> int:
    if not text.isdigit() or int(text) > 10:
        raise argparse.ArgumentTypeError(f"0 bis 10 / 0 to 10: {text!r}")
    return int(text)


def run_links(args) -> int:
    root = settings.project_root(args.root, args.lang)
    chosen = settings.for_command(root) if root else None
    if chosen is None:
        return 2
    said = {**read_locale("de")["cli"], **read_locale(args.lang).get("cli", {})}
    if chosen.env.offline:
        print(said["links_offline"], file=sys.stderr)
        return 2
    store = chosen.entries_dir / RESULTS_NAME
    old, problems = _read_inputs(store, root, args.only or [])
    for problem in problems:
        print(format_text(problem, args.lang), file=sys.stderr)
    if problems:
        return 2
    only = {shown_path(path.resolve(), root) for path in args.only or []}
    links = find_links(root, chosen.entries_dir)
    wanted = [link for link in links if not only or link.path in only]
    skip = {link.url for link in links if excluded(link.url, chosen.links.exclude)}
    new = check_addresses({link.url for link in wanted} - skip, _options(args, chosen))
    kept = [link for link in links if link.url not in skip]
    write_results(store, merge_results(old, new, kept, chosen.env.build_date))
    findings = [f for link in wanted if link.url in new if (f := finding(link, new[link.url]))]
    for problem in sorted(findings, key=sort_key):
        print(format_text(problem, args.lang))
    counts = {
        "links": len(new),
        "broken": sum(result.broken for result in new.values()),
        "moved": sum(bool(result.moved) for result in new.values()),
        "excluded": len(skip & {link.url for link in wanted}),
    }
    print(said["links_summary"].format(path=shown_path(store, root), **counts), file=sys.stderr)
    return 1 if args.strict and findings else 0


def _read_inputs(
    store: Path, root: Path, only: list[Path]
) -> tuple[dict[str, LinkResult], list[Finding]]:
    """The results so far, and why the command cannot start: a results file it may not
    overwrite, an --only file that is not there."""
    missing = {"reason": os.strerror(errno.ENOENT)}
    problems = [
        Finding(str(path), 1, 1, ERROR, "file.unreadable", missing)
        for path in only
        if not path.is_file()
    ]
    try:
        return read_results(store), problems
    except ResultsError as exc:
        params = {"reason": str(exc)}
        problems.append(Finding(shown_path(store, root), 1, 1, ERROR, "file.unreadable", params))
        return {}, problems


def _options(args, chosen: settings.Settings) -> Options:
    from importlib.metadata import version

    agent = f"Wegweiser/{version('wegweiser')} (link check; {chosen.site_url or 'local'})"
    return Options(
        timeout=args.timeout,
        retries=args.retries,
        per_host=chosen.links.per_host,
        delay=chosen.links.delay,
        user_agent=agent.encode("ascii", "replace").decode(),
    )
