#!/usr/bin/env python3
"""Concurrent TLS server for lab scenario 16 (Python's ssl module, i.e. OpenSSL).

    tls-channel-server.py ADDRESS CERT KEY

openssl s_server serves one connection at a time, so it cannot keep a long-lived
"control channel" open and answer new calls on the same address. This server can:
a connection whose first line is an HTTP GET gets "HTTP/1.0 200" and is closed; any
other connection is a channel that answers each line with "ack <line>" until the client
closes it. Run it under `timeout` (lab_spawn does); each connection idles out after 30 s.
"""
import socket
import ssl
import sys
import threading


def handle(ctx, conn):
    with conn:
        try:
            conn.settimeout(30)
            tls = ctx.wrap_socket(conn, server_side=True)
            f = tls.makefile("rwb")
            line = f.readline(8192)
            if line.startswith(b"GET "):
                for _ in range(100):                      # skip the request headers
                    if f.readline(8192) in (b"\r\n", b"\n", b""):
                        break
                f.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n")
            else:
                for _ in range(10000):
                    if not line:
                        break
                    f.write(b"ack " + line)
                    f.flush()
                    line = f.readline(8192)
            f.flush()
            tls.unwrap()
        except (OSError, ValueError):
            pass


def main():
    addr, cert, key = sys.argv[1:4]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.create_server((addr, 443), family=family, backlog=16) as srv:
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=handle, args=(ctx, conn), daemon=True).start()


if __name__ == "__main__":
    main()
