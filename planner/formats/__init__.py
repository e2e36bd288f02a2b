"""One module per file format, each owning its constants, its reading and its writing: our schedule.json, the
Sessions sheet, frab's schedule JSON and XML; and the leaf helpers every document of ours is written with (Markdown
tables, spreadsheet cells, HTML pages)."""
