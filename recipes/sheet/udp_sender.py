import socket
import time

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    for _ in range(3):
        sock.sendto(b"Hello\n", ("localhost", 5566))
        time.sleep(5)
