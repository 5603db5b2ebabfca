import select
import socket

srv = socket.create_server(("localhost", 5566))
kq = select.kqueue()
kq.control([select.kevent(srv, select.KQ_FILTER_READ, select.KQ_EV_ADD)], 0)
conns = {}
while True:
    for ev in kq.control(None, 16):
        if ev.ident == srv.fileno():
            conn, _ = srv.accept()
            conns[conn.fileno()] = conn
            kq.control([select.kevent(conn, select.KQ_FILTER_READ, select.KQ_EV_ADD)], 0)
        else:
            conns[ev.ident].sendall(conns[ev.ident].recv(1024))
