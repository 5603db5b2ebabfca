import socketserver

class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(self.request.recv(1024))

with socketserver.TCPServer(("localhost", 5566), Echo) as srv:
    srv.serve_forever()
