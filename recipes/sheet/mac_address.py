import binascii

raw = binascii.unhexlify("00:11:32:3c:c3:0b".replace(":", ""))
print(raw, binascii.hexlify(raw))
