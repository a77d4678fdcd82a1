"""Wegweiser: a directory of integration services, from YAML entries to a static site.

Stages (each a module): loader -> schemacheck/fields -> validate -> model -> render;
``mkdocs_adapter`` and ``hooks/wegweiser_hooks.py`` connect them to MkDocs, ``cli`` to
the command line.
"""

# The engine's version: `wegweiser --version`, the heading of CHANGELOG.md that says what an
# operator does on this upgrade, and the version of the package.
__version__ = "0.2.0"
