import socket

for host in ("192.0.2.244", "2001:db8::1", "localhost"):
    try:
        for family, _, _, _, sockaddr in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP):
            print(host, family.name, sockaddr[0])
    except socket.gaierror as err:
        print(host, "invalid:", err)
