import socket
import sys

with open(sys.argv[1], "rb") as f, socket.create_connection(("localhost", 5566)) as conn:
    sent = conn.sendfile(f)  # os.sendfile underneath where the OS has it
    print(sent, "bytes sent")
