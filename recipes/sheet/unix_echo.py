import os
import socket

path = "./domain.sock"
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as srv:
    srv.bind(path)
    srv.listen(10)
    conn, _ = srv.accept()
    with conn:
        conn.sendall(conn.recv(1024))
os.unlink(path)
