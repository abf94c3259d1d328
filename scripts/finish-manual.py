#!/usr/bin/env python3
"""Finishes the man pages argument-parser's generate-manual writes (make man runs it on man/*.1).

The generator leaves what mdoc warns about or gets wrong: blank lines (each an "Empty input line"
warning), the examples of the help texts as filled prose, and `.Ex -std` ("exits 0 on success, and >0
if an error occurs"), which contradicts the exit codes the tools use. This script turns blank lines
into `.Pp`, indented example lines into literal displays, and writes the EXIT STATUS, ENVIRONMENT,
FILES and SEE ALSO sections of each page. It is idempotent: a finished page comes out unchanged.

    python3 scripts/finish-manual.py man/smoothtaskctl.1 man/smoothtaskd.1
"""
import os
import re
import sys

# Section text per page, in mdoc: (ENVIRONMENT, FILES, EXIT STATUS, SEE ALSO).
SECTIONS = {
    "smoothtaskctl": {
        "ENVIRONMENT": """.Bl -tag -width Ds
.It Ev SMOOTHTASK_SOCKET
The daemon's socket when
.Fl -socket
is not given; without either,
.Pa /run/smoothtask.sock .
.El""",
        "FILES": """.Bl -tag -width Ds
.It Pa /run/smoothtask.sock
The socket of
.Xr smoothtaskd 1
(mode 0666: reading needs no privileges; changing the configuration needs root or the
.Sy smoothtask
group).
.El""",
        "EXIT STATUS": """.Bl -tag -width Ds
.It 0
Success.
.It 1
The daemon refused the request; its message on standard error says why (a value out of range, a
figure that cannot be measured here).
.Cm check :
a requirement is not met.
.It 64
Bad usage, caught before connecting: an unknown subcommand, option, configuration key, user or
method, or a malformed value.
.It 69
The daemon is unreachable: nothing at the socket path, a stale socket, a path that is not a socket,
or a daemon that closed the connection.
.It 77
Permission denied: changing the configuration needs root or membership of the
.Sy smoothtask
group.
.El""",
        "SEE ALSO": """.Xr smoothtaskd 1 ,
.Xr top 1 ,
.Xr vmstat 8""",
    },
    "smoothtaskd": {
        "ENVIRONMENT": """.Bl -tag -width Ds
.It Ev SMOOTHTASK_SOCKET
The socket to serve on when
.Fl -socket
is not given; without either,
.Pa /run/smoothtask.sock .
.It Ev LISTEN_FDS , LISTEN_PID
Set by systemd under socket activation: the daemon serves the socket it is given.
.It Ev NOTIFY_SOCKET
Set by systemd: the daemon reports readiness and watchdog pings there.
.El""",
        "FILES": """.Bl -tag -width Ds
.It Pa /run/smoothtask.sock
The control socket, mode 0666.
.It Pa /etc/smoothtask/config.json
The configuration
.Pq Fl -config ;
written back on every accepted change and re-read on SIGHUP.
.It Pa /var/lib/smoothtask/history.sqlite
The history of every collection
.Pq Fl -state-dir .
.It Pa /run/smoothtask
The only directory a Unix-socket
.Cm prometheus_listen
may be in
.Pq Fl -metrics-socket-directory .
.El""",
        "EXIT STATUS": """.Bl -tag -width Ds
.It 0
Clean stop on SIGTERM or SIGINT; with
.Fl -check ,
every requirement is met.
.It 1
Failure: the socket could not be served, or with
.Fl -check
a requirement is not met.
.It 64
Bad usage: an unknown option or a value out of range.
.It 78
Bad configuration file at start (outside socket activation, which serves the defaults instead).
.El""",
        "SEE ALSO": """.Xr smoothtaskctl 1 ,
.Xr systemd.socket 5 ,
.Xr capabilities 7""",
    },
}
ORDER = ["ENVIRONMENT", "FILES", "EXIT STATUS", "SEE ALSO"]
# Lines the generator gets wrong, replaced as they are: set-interval takes exactly one duration (its
# argument collects unrecognized words only so that `set-interval -5` reaches the range check, which
# the generator shows as a repeating argument).
FIXUPS = {".It Ar duration...": ".It Ar duration"}
# A sentence's end inside a line: . ? or ! (then closing quotes or brackets) and a space before more text.
SENTENCE_END = re.compile(r"(?:(?<=\S[.?!])|(?<=[.?!][)\"'\]])) +(?=\S)")


def finish(text, name):
    lines = text.split("\n")
    # The generated page ends with EXIT STATUS, a finished one with ENVIRONMENT and what follows it.
    head_end = next(
        i for i, line in enumerate(lines) if line.startswith(".Sh") and ("EXIT STATUS" in line or "ENVIRONMENT" in line)
    )
    body = lines[:head_end]
    out = []
    literal = False  # inside a display this script opened
    finished = False  # inside a display of a page finished before: kept as it is
    for line in body:
        line = FIXUPS.get(line, line)
        if finished:
            out.append(line)
            finished = line != ".Ed"
            continue
        if line.startswith(".Bd"):
            out.append(line)
            finished = True
            continue
        if line.startswith("  ") and not line.startswith("."):
            if not literal:
                out.append(".Bd -literal -offset indent")
                literal = True
            shown = line[2:].replace("\\", "\\e")
            # A display line starting with a dot or quote would be read as a request.
            out.append("\\&" + shown if shown.startswith((".", "'")) else shown)
            continue
        if literal:
            out.append(".Ed")
            literal = False
        if line.strip() == "":
            # A blank line is a paragraph break, which mdoc writes as .Pp (and which a list item
            # or a display already makes: drop it there).
            if out and out[-1] != ".Pp" and not out[-1].startswith((".Bl", ".It", ".El", ".Sh")):
                out.append(".Pp")
            continue
        if line == ".Pp" and out and (out[-1] == ".Pp" or out[-1].startswith((".El", ".Sh"))):
            continue
        if line.startswith("."):
            out.append(line)
            continue
        # mdoc wants each sentence of prose on a line of its own (mandoc: "new sentence, new line").
        for sentence in SENTENCE_END.split(line):
            out.append("\\&" + sentence if sentence.startswith((".", "'")) else sentence)
    if literal:
        out.append(".Ed")
    # A .Pp directly before .It, .El or .Ed is an empty paragraph: mdoc warns about it too.
    cleaned = []
    for line in out:
        if line.startswith((".It", ".El", ".Sh")) and cleaned and cleaned[-1] == ".Pp":
            cleaned.pop()
        cleaned.append(line)
    for section in ORDER:
        cleaned.append(f'.Sh "{section}"' if " " in section else f".Sh {section}")
        cleaned.append(SECTIONS[name][section])
    return "\n".join(cleaned) + "\n"


def main(paths):
    for path in paths:
        name = os.path.basename(path).split(".")[0]
        with open(path) as page:
            text = page.read()
        finished = finish(text, name)
        with open(path, "w") as page:
            page.write(finished)


if __name__ == "__main__":
    main(sys.argv[1:])
