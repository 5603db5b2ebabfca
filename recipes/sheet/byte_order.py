import socket

print(socket.htons(1), socket.htonl(1))  # 256 16777216 on little-endian
print(socket.ntohs(256), socket.ntohl(16777216))  # 1 1
