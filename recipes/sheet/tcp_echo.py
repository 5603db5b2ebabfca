import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("localhost", 5566))
    srv.listen(10)
    while True:
        conn, _ = srv.accept()
        with conn:
            conn.sendall(conn.recv(1024))
