import os
import sys

with open(sys.argv[1], "rb") as src, open(sys.argv[2], "wb") as dst:
    offset, size = 0, os.fstat(src.fileno()).st_size
    while offset < size:
        offset += os.sendfile(dst.fileno(), src.fileno(), offset, size - offset)
