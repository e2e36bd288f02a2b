"""Outside systems a conference's proposals live in, and where a drafted programme goes back to: pretalx (read over
its API v1, and its work-in-progress schedule written back) and Sessionize (its "All" JSON saved to a file).

`http` is the only network code (the standard library's urllib); `pretalx/` (client, read, publish) and
`sessionize` turn a source into `proposals.Imported`; `folder` makes or updates a conference folder from it
(`conference_yaml` for conference.yaml, `rows` for sessions.csv and people.csv, `record` for source.yaml, the
record that keeps ids stable); `commands` is what the command line calls.

Exit codes the command line gives for what happens here: 2 for an input or credential problem (a bad URL or token
file, a token the server refuses, no such event), `http.NETWORK_FAILURE` (4) when the server cannot be reached or
does not answer as its API should (down, a timeout, too many requests even after waiting, a server error, invalid
JSON). A token is never printed, logged or written: every message from here has it removed.
"""
