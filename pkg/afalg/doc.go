// Package afalg uses the Linux kernel's crypto API through AF_ALG sockets,
// with the Go standard library as a fallback that gives identical results.
//
// It covers the recipes of chapter 08-afalg:
//
//   - afalg-hash: digests and HMACs ([NewHash]);
//   - afalg-aes-cbc: AES-CBC with PKCS#7 padding ([NewCBC]);
//   - afalg-aes-gcm: AES-GCM with associated data ([NewGCM]);
//   - afalg-gcm-sendfile: AES-GCM fed from a file by sendfile(2)
//     ([GCM.SealFile], [GCM.OpenFile]);
//   - afalg-benchmark: the kernel against crypto/cipher ([CompareGCM]).
//
// # The protocol
//
// An AF_ALG socket is not connected to a peer but to an algorithm. Using one
// takes two sockets:
//
//  1. socket(AF_ALG, SOCK_SEQPACKET, 0) makes the transformation socket;
//     bind(2) with a sockaddr_alg naming a type ("hash", "skcipher", "aead")
//     and an algorithm ("sha256", "cbc(aes)", "gcm(aes)") selects the
//     algorithm.
//  2. setsockopt(SOL_ALG, ALG_SET_KEY) sets the key and, for an AEAD,
//     setsockopt(SOL_ALG, ALG_SET_AEAD_AUTHSIZE) the tag size. Both must come
//     before the first accept: once an operation socket exists the kernel
//     answers EBUSY.
//  3. accept(2) returns an operation socket. Each has its own state, so
//     concurrent operations each accept their own.
//  4. sendmsg(2) on the operation socket passes the input. For ciphers, the
//     first sendmsg carries control messages of level SOL_ALG: ALG_SET_OP
//     (encrypt or decrypt), ALG_SET_IV (struct af_alg_iv: a 32-bit length
//     then the IV) and, for an AEAD, ALG_SET_AEAD_ASSOCLEN. MSG_MORE says
//     more input follows; a send without it ends the message.
//  5. read(2) returns the digest or the transformed data.
//
// # Traps
//
// Each of these is handled here; they are what makes a naive port fail.
//
//   - unix.Accept fails with ECONNABORTED: it asks the kernel for the peer
//     address, operation sockets have none, and the kernel turns that into
//     ECONNABORTED after the accept itself succeeded. accept4 is called with
//     a NULL address instead.
//   - ALG_SET_AEAD_AUTHSIZE takes no value: the tag size is passed as the
//     option length, with a NULL pointer. (The cheat sheet passes the AAD
//     length there, which only works because both happen to be 16.)
//   - unix.SendmsgN sends one dummy data byte when the data is empty and
//     control messages are present. That byte would become input to the
//     cipher, so sendmsg is called directly.
//   - An AEAD message is processed whole, so all of it must be queued in
//     the socket at once: its send and receive buffers are grown when
//     needed, and a message that still does not fit (the sysctls
//     net.core.wmem_max, rmem_max and optmem_max bound it; kernels before
//     4.14 also cap it at 16 pages) is an error, never a hang.
//   - A cipher's read asks for exactly the output expected. How the kernel
//     answers a longer read has changed between versions (the AF_ALG
//     receive paths were rewritten in Linux 4.14), and while the last send
//     carried MSG_MORE such a read waits for input that never comes. And a
//     decryption with neither AAD nor plaintext still needs a read, with a
//     one-byte buffer: the kernel checks the tag only for a read that asks
//     for something.
//   - AES-CBC input goes in chunks of at most 64 KiB, each read back before
//     the next is sent with MSG_MORE; the kernel carries the chaining value
//     from one chunk to the next, so no message is too long.
//   - On older kernels, reading a digest from an operation socket that
//     hashed before, with no send in between, returns the previous digest.
//     Each digest here gets a fresh operation socket and ends with a send
//     without MSG_MORE, even an empty one.
//
// # Backends
//
// AF_ALG may be missing: a system other than Linux, a kernel built without
// CONFIG_CRYPTO_USER_API, a container that filters the address family, a
// host that leaves algif_aead unloaded. Every constructor takes a
// [Backend]: [Kernel] insists on AF_ALG, [Go] uses the standard library,
// and [Auto] tries the kernel and falls back to Go, reporting which one ran
// and why. What is missing is reported as an
// error that matches [ErrUnsupported] (and [errors.ErrUnsupported]) and names
// the algorithm type and name.
//
// Both backends give byte-for-byte the same results, which the tests check
// against crypto/sha256, crypto/aes and crypto/cipher whenever the kernel
// path is present. The fallback exists so that a program, an example or a
// notebook runs the same everywhere, and so the kernel path always has a
// reference to be compared with.
package afalg
