import os
import socket
import sys

key, iv = os.urandom(16), os.urandom(12)
with open(sys.argv[1], "rb") as f, socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0) as alg:
    alg.bind(("aead", "gcm(aes)"))
    alg.setsockopt(socket.SOL_ALG, socket.ALG_SET_KEY, key)
    op, _ = alg.accept()
    with op:
        size = os.fstat(f.fileno()).st_size
        op.sendmsg_afalg(op=socket.ALG_OP_ENCRYPT, iv=iv, assoclen=0, flags=socket.MSG_MORE)
        os.sendfile(op.fileno(), f.fileno(), 0, size)
        print(op.recv(size + 16).hex())
