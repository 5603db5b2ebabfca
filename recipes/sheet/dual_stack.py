import socket

srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
srv.bind(("::", 5566))
srv.listen(10)
conn, _ = srv.accept()
print(conn.getpeername())  # ('::ffff:127.0.0.1', 42604, 0, 0) for an IPv4 client
