import selectors, socket, ssl

ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(certfile="cert.pem", keyfile="key.pem")
conn, _ = socket.create_server(("localhost", 5566)).accept()
tls = ctx.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
tls.setblocking(False)
sel = selectors.DefaultSelector()
sel.register(tls, selectors.EVENT_READ)
while sel.select():
    try:
        tls.sendall(tls.recv(1024))  # the handshake runs inside recv
    except ssl.SSLWantReadError:
        pass  # not a whole TLS record yet: wait for more
