import socket

name = socket.gethostname()
print(name, socket.gethostbyname(name))
print(socket.gethostbyname("localhost"))
