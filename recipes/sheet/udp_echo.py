import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    sock.bind(("localhost", 5566))
    while True:
        msg, peer = sock.recvfrom(65535)
        sock.sendto(msg, peer)
