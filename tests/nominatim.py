"""A local HTTP server on 127.0.0.1 that answers like Nominatim's /search (format=json).

The street of a structured query picks the behaviour, so one server serves every case:

    "... Nirgendwo ..."  → []                         (address not found)
    "... Kaputt ..."     → 200 with malformed JSON
    "... Fehler ..."     → 503
    "... Haenger ..."    → no answer until after the client's timeout
    "... Bremse ..."     → 429 with Retry-After: 1, every time
    "Einmal-Bremse ..." → 429 with Retry-After: 1 the first time, then a hit
    "... Weitweg ..."    → a hit in Munich, far outside the region
    "... Falsche-PLZ …"  → a hit with another postcode
    "... Unsinn ..."     → a hit whose lat is "NaN"
    "... Boese ..."      → a hit whose name and postcode carry HTML, a line break, a CI command
    anything else        → a house-level hit near the city's centre
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from helpers import serving

CENTRES = {"leer": (53.2311, 7.4610), "bunde": (53.1833, 7.2667), "erkelenz": (51.0797, 6.3156)}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - the name http.server asks for
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.server.requests.append(
            {"path": url.path, "query": query, "headers": dict(self.headers)}
        )
        street = query.get("street", "")
        if "Haenger" in street:
            time.sleep(self.server.hang_seconds)
            return self._send(200, "[]")
        if "Fehler" in street:
            return self._send(503, "Service Unavailable", "text/plain")
        if "Kaputt" in street:
            return self._send(200, '[{"lat": "53.2", "lon": ')
        if "Bremse" in street:
            once = street.startswith("Einmal-Bremse")
            if not once or street not in self.server.slowed:
                self.server.slowed.add(street)
                return self._send(429, "Too Many Requests", "text/plain", {"Retry-After": "1"})
        if "Nirgendwo" in street:
            return self._send(200, "[]")
        self._send(200, json.dumps([_hit(query, street)]))

    def _send(self, status, body, kind="application/json", headers=None):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.wfile.write(data)


def _hit(query: dict, street: str) -> dict:
    lat, lon = CENTRES.get(query.get("city", "").casefold(), (52.0, 8.0))
    postcode = query.get("postalcode", "")
    if "Weitweg" in street:
        lat, lon = 48.1372, 11.5756
    if "Falsche-PLZ" in street:
        postcode = "99999"
    if "Unsinn" in street:
        lat = float("nan")
    display = f"{street}, {query.get('city', '')}, Deutschland"
    if "Boese" in street:
        display = "<script>alert(1)</script>\n::error file=x::geocoder ${x} `y`"
        postcode = "<b>1</b>\n::stop-commands::z"
    name, _, number = street.rpartition(" ")
    return {
        "place_id": 1,
        "lat": f"{lat + 0.001:.7f}",
        "lon": f"{lon + 0.002:.7f}",
        "class": "place",
        "type": "house",
        "addresstype": "place",
        "display_name": display,
        "address": {"house_number": number, "road": name, "postcode": postcode},
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address):
        super().__init__(address, _Handler)
        self.requests: list[dict] = []
        self.slowed: set[str] = set()
        self.hang_seconds = 3.0


@contextmanager
def fake_nominatim():
    """A running fake; yields the server (``.url``, ``.requests``)."""
    server = _Server(("127.0.0.1", 0))
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    with serving(server):
        yield server
