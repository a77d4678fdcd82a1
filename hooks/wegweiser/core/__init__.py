"""The plain data core, for everyone: reading entries and lists with their positions,
the one schema, field checks, the model (Entry, Directory, Place), findings and their
words in every language (``locales/``). No network, no MkDocs."""
