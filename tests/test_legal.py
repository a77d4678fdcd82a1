"""Impressum, Datenschutz and Barrierefreiheit take the operator from mkdocs.yml."""

from helpers import REPO, copy_fixture_site, mkdocs_build
from wegweiser.site import legal


def test_operator_block_is_escaped_and_complete():
    block = legal.operator_block(
        {
            "operator": {
                "name": "Landkreis <Leer>",
                "city": "Leer",
                "postcode": "26789",
                "email": "info@example.org",
                "responsible": "Frau Beispiel",
            }
        }
    )
    assert block.splitlines() == [
        "**Landkreis &lt;Leer&gt;**  ",
        "26789 Leer  ",
        'E-Mail: <a href="mailto:info@example.org">info@example.org</a>  ',
        "Verantwortlich für den Inhalt: Frau Beispiel",
    ]


def test_missing_operator_says_what_to_do():
    assert "extra.wegweiser.operator" in legal.operator_block({"operator": {"name": ""}})


def test_the_three_pages_carry_the_marker():
    for name in ("impressum", "datenschutz", "barrierefreiheit"):
        assert legal.MARKER in (REPO / "docs" / f"{name}.md").read_text("utf-8"), name


def test_built_impressum_names_the_operator(tmp_path):
    site = copy_fixture_site(tmp_path / "src")
    (site / "docs" / "impressum.md").write_text(f"# Impressum\n\n{legal.MARKER}\n", "utf-8")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "    branch: test-branch",
            "    branch: test-branch\n    operator: {name: Stadt Erkelenz, city: Erkelenz}",
        ),
        "utf-8",
    )
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "impressum" / "index.html").read_text("utf-8")
    assert "<strong>Stadt Erkelenz</strong>" in html and legal.MARKER not in html
