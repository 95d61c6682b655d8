"""A client of the forwarder's control socket (Forwarder/Control/ControlProtocol.cs): one request per connection, a
4-byte little-endian length and UTF-8 JSON each way. The same thing `forwarder tc --instance NAME` does, without
starting a .NET process, so a counter sample costs about a millisecond and its time stamp is sharp."""
import json
import socket
import struct


class ControlError(RuntimeError):
    pass


def tc(socket_path, argv, timeout=10):
    """Runs one tc command in the instance behind socket_path; returns (exit status, stdout text, stderr text)."""
    body = json.dumps({"argv": list(argv), "files": None, "stdin": None}).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(socket_path)
        s.sendall(struct.pack("<i", len(body)) + body)
        length = struct.unpack("<i", _read(s, 4))[0]
        reply = json.loads(_read(s, length))
    if reply.get("error"):
        raise ControlError(reply["error"])
    out = "".join(c["text"] for c in reply["chunks"] if not c["err"])
    err = "".join(c["text"] for c in reply["chunks"] if c["err"])
    return reply["exit"], out, err


def _read(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise ControlError("the instance closed the connection")
        data += chunk
    return data
