import socketserver

class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data, self.client_address)

with socketserver.UDPServer(("localhost", 5566), Echo) as srv:
    srv.serve_forever()
