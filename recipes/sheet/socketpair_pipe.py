import os
import socket

near, far = socket.socketpair()
if os.fork() == 0:
    near.close()
    far.sendall(b"Hi! Parent! " + far.recv(1024))
    os._exit(0)
far.close()
near.sendall(b"Hi! Child!")
print(near.recv(1024))
