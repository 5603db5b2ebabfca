import os
import socket

key, iv = os.urandom(32), os.urandom(16)
with socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0) as alg:
    alg.bind(("skcipher", "cbc(aes)"))
    alg.setsockopt(socket.SOL_ALG, socket.ALG_SET_KEY, key)
    op, _ = alg.accept()
    with op:
        block = b"Demo AF_ALG".ljust(16, b"\x05")  # padded to the block size
        op.sendmsg_afalg([block], op=socket.ALG_OP_ENCRYPT, iv=iv)
        print(op.recv(16).hex())
