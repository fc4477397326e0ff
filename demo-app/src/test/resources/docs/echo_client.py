# The Python client of docs/getting-started.md, run against the demo's echo server by GettingStartedTest.
# tag::python-client[]
import json
import socket
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "/run/myapp/echo.sock"

with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
    sock.connect(path)
    stream = sock.makefile("rwb")
    stream.write(json.dumps({"hello": "world"}).encode() + b"\n")  # one JSON document per line
    stream.flush()
    print(json.loads(stream.readline()))                           # {'hello': 'world'}
# end::python-client[]
