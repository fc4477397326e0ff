"""A Python client of the EasyNet demo, written with CPython's standard library only.

It frames JSON as EasyNetwork's default ``JSONSerializer()`` does (one compact, ASCII-only document per
``\\n``-terminated line) and passes file descriptors with ``socket.send_fds``/``socket.recv_fds`` (Python 3.9+).
It checks each answer itself and prints every raw line it received, one per line, prefixed with the server's name.

Usage: python3 python_client.py <demo directory> <a readable file>
"""

import hashlib
import json
import os
import socket
import sys

TIMEOUT = 10.0


def encode(value):
    """The bytes EasyNetwork's JSONSerializer(use_lines=True) writes for ``value``."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("utf-8") + b"\n"


def expect(what, actual, expected):
    if actual != expected:
        sys.exit(f"{what}: expected {expected!r}, got {actual!r}")


class JsonLinesConnection:
    """One connection to a demo server, speaking JSON lines."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(TIMEOUT)
        self.sock.connect(path)
        self.pending = b""

    def send(self, value, fds=()):
        data = encode(value)
        if fds:
            socket.send_fds(self.sock, [data], list(fds))
        else:
            self.sock.sendall(data)

    def send_raw(self, data):
        self.sock.sendall(data)

    def receive_line(self, max_fds=0):
        """The next line without its newline, and the descriptors that came while reading it."""
        fds = []
        while b"\n" not in self.pending:
            if max_fds:
                chunk, received, _flags, _address = socket.recv_fds(self.sock, 4096, max_fds)
                fds.extend(received)
            else:
                chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError("the server closed the connection")
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        return line, fds

    def exchange(self, value):
        self.send(value)
        line, _ = self.receive_line()
        return line

    def close(self):
        self.sock.close()


def echo(directory):
    values = [
        {"hello": "world"},
        {"text": "\u00e9t\u00e9 \U0001F600", "numbers": [1, 2.5, None, True, 1e16, -0.0, 0.1, 1e-05, 2 ** 70]},
        "a bare string",
        42,
        None,
        [],
    ]
    conn = JsonLinesConnection(os.path.join(directory, "echo.sock"))
    try:
        for value in values:
            line = conn.exchange(value)
            # Byte for byte what EasyNetwork would have sent back, and the same value once parsed.
            expect("echo of " + repr(value), line + b"\n", encode(value))
            expect("parsed echo of " + repr(value), json.loads(line), value)
            print("echo:", line.decode("ascii"))
        conn.send_raw(b"{oops\n")
        line, _ = conn.receive_line()
        expect("answer to a bad line", sorted(json.loads(line)), ["error"])
        print("echo: an error for a bad line")
        line = conn.exchange({"after": "the error"})
        print("echo:", line.decode("ascii"))
    finally:
        conn.close()


def counter(directory):
    path = os.path.join(directory, "counter.sock")
    first, second = JsonLinesConnection(path), JsonLinesConnection(path)
    try:
        for conn, amount in ((first, 2), (first, 3), (second, 10), (first, -5)):
            line = conn.exchange({"add": amount})
            print("counter:", line.decode("ascii"))
    finally:
        first.close()
        second.close()


def fd(directory, file):
    conn = JsonLinesConnection(os.path.join(directory, "fd.sock"))
    try:
        line = conn.exchange({"op": "whoami"})
        expect("whoami", json.loads(line), {"pid": os.getpid(), "uid": os.getuid(), "gid": os.getgid()})
        print("fd:", line.decode("ascii"))

        with open(file, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        first, second = os.open(file, os.O_RDONLY), os.open(file, os.O_RDONLY)
        try:
            conn.send({"op": "digest"}, fds=[first, second])
        finally:
            os.close(first)
            os.close(second)
        line, _ = conn.receive_line()
        expect("digest", json.loads(line), {"digests": [digest, digest]})
        print("fd:", line.decode("ascii"))

        conn.send({"op": "open", "name": "python"})
        line, fds = conn.receive_line(max_fds=4)
        try:
            expect("descriptors with the open answer", len(fds), 1)
            content = os.read(fds[0], 4096)
        finally:
            for received in fds:
                os.close(received)
        print("fd:", line.decode("ascii"), "with a descriptor that reads", repr(content.decode("utf-8")))
    finally:
        conn.close()


def main():
    directory, file = sys.argv[1], sys.argv[2]
    echo(directory)
    counter(directory)
    fd(directory, file)


if __name__ == "__main__":
    main()
