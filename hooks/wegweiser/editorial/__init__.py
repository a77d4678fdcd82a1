"""The volunteers' and editors' commands: new, from-issue, import, report, stale,
confirm, links — and the helpers they share (writing entries as YAML, editing one value,
Markdown for reports)."""
