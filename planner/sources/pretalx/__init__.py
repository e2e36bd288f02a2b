"""pretalx, over its API v1 only (so the same code works with every pretalx since 2025.1): `client` (the
connection), `read` (an event's accepted and confirmed proposals, speakers and rooms as a source's `Imported`) and
`publish` (a programme into the work-in-progress schedule, and a release on request)."""
