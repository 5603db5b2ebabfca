import socket
import struct

with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as s:
    packet, _ = s.recvfrom(65535)
    ihl_version, proto = packet[0], packet[9]
    src, dst = socket.inet_ntoa(packet[12:16]), socket.inet_ntoa(packet[16:20])
    print(f"IPv{ihl_version >> 4} proto {proto}: {src} -> {dst}")
    print(struct.unpack("!H", packet[2:4])[0], "bytes")
