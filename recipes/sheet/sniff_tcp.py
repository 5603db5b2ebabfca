import socket
import struct

with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP) as s:
    packet, (src, _) = s.recvfrom(65535)
    tcp = packet[(packet[0] & 0x0F) * 4:]  # skip the IP header
    sport, dport, seq, ack, offset_flags = struct.unpack("!HHIIH", tcp[:14])
    print(f"{src}:{sport} -> :{dport} seq={seq} flags={offset_flags & 0x3F:06b}")
