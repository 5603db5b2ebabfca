import select
import socket

srv = socket.create_server(("localhost", 5566))
clients = []
while True:
    readable, _, _ = select.select([srv, *clients], [], [])
    for sock in readable:
        if sock is srv:
            clients.append(srv.accept()[0])
        elif msg := sock.recv(1024):
            sock.sendall(msg)
        else:
            clients.remove(sock)
            sock.close()
