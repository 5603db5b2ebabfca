import socket

with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as srv:
    srv.bind(("::1", 5566))
    srv.listen(10)
    conn, (host, port, flowinfo, scope_id) = srv.accept()
    with conn:
        conn.sendall(conn.recv(1024))
