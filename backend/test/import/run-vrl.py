"""Runs the remap (VRL) of docs/integrations/vector.toml on each line of a file, with the real VRL compiler and
runtime (the `pyvrl` package). Prints one JSON document per line: the event after the remap, or "ABORT".

    python3 run-vrl.py docs/integrations/vector.toml docs/integrations/samples/nginx-json.log
"""
import json
import re
import sys

import pyvrl

toml_path, lines_path = sys.argv[1], sys.argv[2]
source = re.search(r"source = '''\n(.*?)'''", open(toml_path, encoding="utf-8").read(), re.S).group(1)
# The program's value is its last expression; end with `.` so the result is the event itself.
program = pyvrl.Transform(source + "\n.\n")
for line in open(lines_path, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.strip():
        continue
    try:
        print(json.dumps(program.remap({"message": line})))
    except ValueError as err:
        print(json.dumps("ABORT" if "aborted" in str(err) else f"ERROR {err}"))
