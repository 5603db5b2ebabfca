import select
import socket

srv = socket.create_server(("localhost", 5566))
ep = select.epoll()
ep.register(srv.fileno(), select.EPOLLIN)
conns = {}
while True:
    for fd, event in ep.poll():
        if fd == srv.fileno():
            conn, _ = srv.accept()
            conns[conn.fileno()] = conn
            ep.register(conn.fileno(), select.EPOLLIN)
        else:
            conns[fd].sendall(conns[fd].recv(1024))
