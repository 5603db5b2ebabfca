import socket
import threading

def echo(conn):
    with conn:
        while msg := conn.recv(1024):
            conn.sendall(msg)

with socket.create_server(("localhost", 5566)) as srv:
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()
