"""``wegweiser preview``: the pull request's check (``pruefen.yml``) uploads the built site
as an artifact; its job summary names the artifact and links, for each changed entry, its
pages inside it (each language), for a reviewer who serves the unpacked folder.

Entry names are escaped (``mdtext.md``): they are the pull request's own text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wegweiser import urls
from wegweiser.core.loader import LoadError, load_bytes
from wegweiser.editorial import gitrev
from wegweiser.editorial.mdtext import md
from wegweiser.editorial.report import is_entry
from wegweiser.editorial.visitor import report_words

LOCAL = "http://localhost:8000/"  # `python3 -m http.server` in the unpacked artifact


@dataclass(frozen=True)
class Page:
    """A changed entry in the preview: its name and the languages (tree prefixes) it has."""

    name: str
    slug: str
    status: str  # added, changed, renamed, removed
    trees: tuple[tuple[str, str], ...]  # (language, "" or "ar/") of each page built


def changed_pages(
    repo: Path, base: str, head: str, site: Path, trees: dict[str, str]
) -> list[Page]:
    """Every entry the pull request adds, changes, renames or removes, with the pages of
    it that the built ``site`` holds (none for a removed, broken or expired entry)."""
    base, head = gitrev.resolve(repo, base), gitrev.resolve(repo, head)
    changes = gitrev.changed_files(repo, base, head)
    pages = []
    for change in changes:
        path = change.new or change.old
        if not is_entry(path):
            continue
        status = {"A": "added", "D": "removed", "R": "renamed"}.get(change.status, "changed")
        slug = Path(path).stem
        built = tuple(
            (lang, tree)
            for lang, tree in trees.items()
            if change.new and (site / tree / urls.entry_path(slug) / "index.html").is_file()
        )
        name = _name(gitrev.blob_text(repo, head if change.new else base, path))
        pages.append(Page(name or slug, slug, status, built))
    return pages


def _name(text: str) -> str:
    """The ``name`` an entry file gives, or "" for a file that is no readable entry."""
    try:
        data = load_bytes(text.encode("utf-8")).value
    except LoadError:
        return ""
    return str(data.get("name") or "") if isinstance(data, dict) else ""


def summary_markdown(pages: list[Page], artifact_url: str, lang: str = "de") -> str:
    """The job summary: where the preview is, and each changed entry's pages inside it."""
    said = report_words(lang)
    lines = [f"### {said['preview_title']}", ""]
    download = f"[{said['preview_download']}]({artifact_url})" if artifact_url else ""
    lines += [said["preview_lead"].format(download=download, local=LOCAL).strip(), ""]
    if not pages:
        return "\n".join([*lines, said["preview_none"]]) + "\n"
    lines += [f"| {said['preview_entry']} | {said['preview_pages']} |", "| --- | --- |"]
    for page in pages:
        links = " · ".join(
            f"[{lang}]({LOCAL}{tree}{urls.entry_path(page.slug)})" for lang, tree in page.trees
        )
        if not links:
            links = said["preview_gone" if page.status == "removed" else "preview_missing"]
        lines.append(f"| {md(page.name)} ({said[page.status]}) | {links} |")
    return "\n".join(lines) + "\n"
