import os
import socket

key, iv, assoc = os.urandom(16), os.urandom(12), b"header"
with socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0) as alg:
    alg.bind(("aead", "gcm(aes)"))
    alg.setsockopt(socket.SOL_ALG, socket.ALG_SET_KEY, key)
    alg.setsockopt(socket.SOL_ALG, socket.ALG_SET_AEAD_AUTHSIZE, None, 16)
    op, _ = alg.accept()
    with op:
        plain = b"Hello AES-GCM"
        op.sendmsg_afalg([assoc + plain], op=socket.ALG_OP_ENCRYPT, iv=iv, assoclen=len(assoc))
        sealed = op.recv(len(assoc) + len(plain) + 16)
        print(sealed[len(assoc):].hex())  # ciphertext, then the 16-byte tag
