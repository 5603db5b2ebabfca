import socket

packed = socket.inet_aton("127.0.0.1")
print(packed)  # b'\x7f\x00\x00\x01'
print(socket.inet_ntoa(packed))
