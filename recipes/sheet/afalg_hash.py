import socket

with socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0) as alg:
    alg.bind(("hash", "sha256"))
    op, _ = alg.accept()
    with op:
        op.sendall(b"Hello AF_ALG")
        print(op.recv(32).hex())
