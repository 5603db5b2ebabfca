// Package gcmfile encrypts files with AES-GCM into a small sealed format,
// handing the file to the cipher by sendfile(2) where the kernel does the
// work.
package gcmfile

// Magic starts every sealed file.
const Magic = "SBG1"

// NonceSize is the length of the nonce after Magic.
const NonceSize = 12

// HeaderLen is the length of the header: Magic, then the nonce. The header
// is the GCM's associated data, so changing it makes Open fail.
const HeaderLen = len(Magic) + NonceSize
