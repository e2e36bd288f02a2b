"""frab's schedule formats, as frab, pretalx and the c3voc tools publish them: read from JSON or XML (`read`), written
as the c3voc schedule JSON (`write`) and the same programme as schedule.xml (`write_xml`)."""
