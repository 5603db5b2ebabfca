import socket
import struct

ETH_P_ARP = 0x0806
with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP)) as s:
    frame = s.recv(2048)
    op, sha, spa, tha, tpa = struct.unpack("!6xH6s4s6s4s", frame[14:42])
    print(op, sha.hex(":"), socket.inet_ntoa(spa), "->", tha.hex(":"), socket.inet_ntoa(tpa))
