import os
import socket

parent, child = socket.socketpair()
if os.fork() == 0:
    parent.close()
    child.sendall(b"Hello Parent")
    print("child got", child.recv(1024))
    os._exit(0)
child.close()
parent.sendall(parent.recv(1024))
os.wait()
