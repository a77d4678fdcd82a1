"""Wegweiser: a directory of integration services, from YAML entries to a static site.

Stages (each a module): loader -> schemacheck/fields -> validate -> model -> render;
``mkdocs_adapter`` and ``hooks/wegweiser_hooks.py`` connect them to MkDocs, ``cli`` to
the command line.
"""
