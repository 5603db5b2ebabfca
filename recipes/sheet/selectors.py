import selectors
import socket

sel = selectors.DefaultSelector()

def echo(conn):
    conn.sendall(conn.recv(1024))

def accept(srv):
    sel.register(srv.accept()[0], selectors.EVENT_READ, echo)

sel.register(socket.create_server(("localhost", 5566)), selectors.EVENT_READ, accept)
while True:
    for key, _ in sel.select():
        key.data(key.fileobj)
