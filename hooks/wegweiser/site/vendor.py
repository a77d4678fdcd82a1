"""Leaflet, its cluster plugin, a QR generator and a ResizeObserver polyfill, served by
the site itself, not a CDN.

Their files are not copied into this repository: they come from the npm registry as the
exact tarballs pinned below (version and sha512 integrity, as in a package-lock.json),
are checked, and only the listed files are unpacked into a local cache. The set-up
scripts fetch them once (``wegweiser vendor``); the build then copies them into
``site/assets/vendor/``. Without them the site still builds: maps stay lists, and a
browser without ResizeObserver gets an inert stand-in (site/theme/main.html).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from wegweiser import urls

DEFAULT_REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # npm's "sha512-<base64>"
    files: dict[str, str]  # path inside the tarball -> file name in urls.VENDOR_DIR/<name>/

    @property
    def folder(self) -> str:
        """Its folder in the cache, named like npm's tarball ("juggle-resize-observer-3.4.0")."""
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}"

    def tarball_url(self, registry: str) -> str:
        base = self.name.rsplit("/", 1)[-1]
        return f"{registry.rstrip('/')}/{self.name}/-/{base}-{self.version}.tgz"


# Material's bundle fetches a ResizeObserver polyfill from unpkg.com in a browser without
# one (Safari before 13.1, older iPhones still in use). The site serves this one instead:
# site/theme/main.html loads it before the bundle, in such browsers only.
RESIZE_OBSERVER_FILE = "resize-observer.umd.js"
RESIZE_OBSERVER = Package(
    "@juggle/resize-observer",
    "3.4.0",
    "sha512-dfLbk+PwWvFzSxwk3n5ySL0hfBog779o8h68wK/7/APo/7cgyWp5jcXockbxdk5kFRkbeXWm4Fbi9FrdN381sA==",
    {
        "package/lib/exports/resize-observer.umd.js": RESIZE_OBSERVER_FILE,
        "package/LICENSE": "LICENSE",
    },
)

PACKAGES = (
    Package(
        "leaflet",
        "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        {
            "package/dist/leaflet.js": "leaflet.js",
            "package/dist/leaflet.css": "leaflet.css",
            "package/dist/images/layers.png": "images/layers.png",
            "package/dist/images/layers-2x.png": "images/layers-2x.png",
            "package/dist/images/marker-icon.png": "images/marker-icon.png",
            "package/dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "package/dist/images/marker-shadow.png": "images/marker-shadow.png",
            "package/LICENSE": "LICENSE",
        },
    ),
    Package(
        "leaflet.markercluster",
        "1.5.3",
        "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
        {
            "package/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
            "package/dist/MarkerCluster.css": "MarkerCluster.css",
            "package/dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
            "package/MIT-LICENCE.txt": "LICENSE",
        },
    ),
    # QR codes on printed lists (notice boards); its MIT licence is in the file's header.
    Package(
        "qrcode-generator",
        "2.0.4",
        "sha512-mZSiP6RnbHl4xL2Ap5HfkjLnmxfKcPWpWe/c+5XxCuetEenqmNFf1FH/ftXPCtFG5/TDobjsjz6sSNL0Sr8Z9g==",
        {"package/dist/qrcode.js": "qrcode.js"},
    ),
    RESIZE_OBSERVER,
)


class VendorError(Exception):
    """A package could not be fetched or did not match its pinned integrity."""


def cache_dir(wanted: str = "") -> Path:
    """``wanted`` (WEGWEISER_VENDOR_DIR, from settings.Environment), else the user's cache."""
    if wanted:
        return Path(wanted)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wegweiser" / "vendor"


def installed(package: Package, root: Path | None = None) -> Path | None:
    folder = (root or cache_dir()) / package.folder
    complete = all((folder / name).is_file() for name in package.files.values())
    return folder if complete else None


def ensure(offline: bool = False, root: Path | None = None, registry: str = "") -> dict[str, Path]:
    """Every package's folder in ``root`` (cache_dir), fetching what is missing unless
    ``offline``."""
    folders = {}
    for package in PACKAGES:
        folder = installed(package, root)
        if folder is None:
            if offline:
                raise VendorError(f"{package.folder} fehlt / missing (offline)")
            folder = fetch(package, root, registry)
        folders[package.name] = folder
    return folders


def fetch(package: Package, root: Path | None = None, registry: str = "") -> Path:
    """``registry``: a mirror of npm's (WEGWEISER_NPM_REGISTRY), else npm's own."""
    registry = registry or DEFAULT_REGISTRY
    url = package.tarball_url(registry)
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - https registry
            data = response.read()
    except OSError as exc:
        raise VendorError(f"{url}: {exc}") from None
    check_integrity(data, package)
    return _unpack(data, package, root or cache_dir())


def check_integrity(data: bytes, package: Package) -> None:
    algorithm, _, expected = package.integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise VendorError(f"{package.folder}: integrity mismatch ({algorithm}-{digest})")


def _unpack(data: bytes, package: Package, root: Path) -> Path:
    """Only the listed members, under names we choose; then one rename into place."""
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{package.folder}.", dir=root))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member_name, target in package.files.items():
                member = tar.getmember(member_name)
                source = tar.extractfile(member) if member.isfile() else None
                if source is None:
                    raise VendorError(f"{package.folder}: {member_name} is not a file")
                (staging / target).parent.mkdir(parents=True, exist_ok=True)
                (staging / target).write_bytes(source.read())
        final = root / package.folder
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)
        return final
    except (KeyError, tarfile.TarError) as exc:
        raise VendorError(f"{package.folder}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def site_path(package: Package, name: str) -> str:
    """Where the site serves a file of a package: ``assets/vendor/leaflet/leaflet.js``."""
    return f"{urls.VENDOR_DIR}/{package.name}/{name}"


def site_files(folders: dict[str, Path]) -> dict[str, Path]:
    """Site path (``assets/vendor/leaflet/leaflet.js``) -> file on disk."""
    files = {}
    for package in PACKAGES:
        for name in package.files.values():
            files[site_path(package, name)] = folders[package.name] / name
    return files
