import socket


def free_port() -> int:
    """A port nothing listens on now, for a server a test starts (never a fixed one: suites run side by side)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
