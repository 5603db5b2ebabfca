import select
import socket

srv = socket.create_server(("localhost", 5566))
poller = select.poll()
poller.register(srv, select.POLLIN)
conns = {}
while True:
    for fd, event in poller.poll():
        if fd == srv.fileno():
            conn, _ = srv.accept()
            conns[conn.fileno()] = conn
            poller.register(conn, select.POLLIN)
        else:
            conns[fd].sendall(conns[fd].recv(1024))
