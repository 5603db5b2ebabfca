package algcmsg

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"golang.org/x/sys/unix"
)

func parse(t *testing.T, b []byte) []unix.SocketControlMessage {
	t.Helper()
	msgs, err := unix.ParseSocketControlMessage(b)
	if err != nil {
		t.Fatalf("the control messages (% x) do not parse: %v", b, err)
	}
	for i, m := range msgs {
		if m.Header.Level != unix.SOL_ALG {
			t.Errorf("message %d has level %d, want SOL_ALG (%d)", i, m.Header.Level, unix.SOL_ALG)
		}
	}
	return msgs
}

func TestOpOnly(t *testing.T) {
	b, err := Control(unix.ALG_OP_DECRYPT, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != unix.CmsgSpace(4) {
		t.Errorf("one ALG_SET_OP message takes %d bytes, want CmsgSpace(4) = %d", len(b), unix.CmsgSpace(4))
	}
	msgs := parse(t, b)
	if len(msgs) != 1 || msgs[0].Header.Type != unix.ALG_SET_OP {
		t.Fatalf("got %d messages (%+v); want exactly one of type ALG_SET_OP", len(msgs), msgs)
	}
	if got := binary.NativeEndian.Uint32(msgs[0].Data); got != unix.ALG_OP_DECRYPT || len(msgs[0].Data) != 4 {
		t.Errorf("ALG_SET_OP carries % x, want ALG_OP_DECRYPT as a 4-byte host-order integer", msgs[0].Data)
	}
}

func TestOpIVAssoc(t *testing.T) {
	iv := []byte("0123456789abcdef")
	b, err := Control(unix.ALG_OP_ENCRYPT, iv, 20)
	if err != nil {
		t.Fatal(err)
	}
	msgs := parse(t, b)
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3: op, IV, assoclen", len(msgs))
	}
	wantTypes := []int32{unix.ALG_SET_OP, unix.ALG_SET_IV, unix.ALG_SET_AEAD_ASSOCLEN}
	for i, m := range msgs {
		if m.Header.Type != wantTypes[i] {
			t.Errorf("message %d has type %d, want %d", i, m.Header.Type, wantTypes[i])
		}
	}
	if got := binary.NativeEndian.Uint32(msgs[0].Data); got != unix.ALG_OP_ENCRYPT {
		t.Errorf("ALG_SET_OP carries %d, want ALG_OP_ENCRYPT", got)
	}
	ivData := msgs[1].Data
	if len(ivData) != 4+len(iv) || binary.NativeEndian.Uint32(ivData) != uint32(len(iv)) || !bytes.Equal(ivData[4:], iv) {
		t.Errorf("ALG_SET_IV carries % x; want struct af_alg_iv: the length 16 as a host-order uint32, then the IV", ivData)
	}
	if got := binary.NativeEndian.Uint32(msgs[2].Data); got != 20 {
		t.Errorf("ALG_SET_AEAD_ASSOCLEN carries %d, want 20", got)
	}
}

func TestRejects(t *testing.T) {
	for name, call := range map[string]func() ([]byte, error){
		"op 7":        func() ([]byte, error) { return Control(7, nil, 0) },
		"IV of 65":    func() ([]byte, error) { return Control(unix.ALG_OP_ENCRYPT, make([]byte, 65), 0) },
		"assocLen -1": func() ([]byte, error) { return Control(unix.ALG_OP_ENCRYPT, nil, -1) },
	} {
		_, err := call()
		if err == nil {
			t.Errorf("Control with %s: want an error", name)
			continue
		}
		num := strings.Fields(name)[1]
		if !strings.Contains(err.Error(), num) {
			t.Errorf("Control with %s: error %q should name the bad value %s", name, err, num)
		}
	}
}

// TestKernelEncrypts uses the control messages for real: AES-CBC in the
// kernel must agree with crypto/cipher.
func TestKernelEncrypts(t *testing.T) {
	tfm, err := unix.Socket(unix.AF_ALG, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		testenv.Skip(t, testenv.AFALG, "socket(AF_ALG): "+err.Error())
	}
	defer unix.Close(tfm)
	if err := unix.Bind(tfm, &unix.SockaddrALG{Type: "skcipher", Name: "cbc(aes)"}); err != nil {
		testenv.Skip(t, testenv.AFALG, "bind cbc(aes): "+err.Error())
	}
	key := []byte("sixteen byte key")
	if err := unix.SetsockoptString(tfm, unix.SOL_ALG, unix.ALG_SET_KEY, string(key)); err != nil {
		t.Fatal(err)
	}
	// accept4 with a NULL address: operation sockets have no peer address,
	// and asking for one fails with ECONNABORTED.
	r, _, errno := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(tfm), 0, 0, unix.SOCK_CLOEXEC, 0, 0)
	if errno != 0 {
		t.Fatalf("accept4: %v", errno)
	}
	op := int(r)
	defer unix.Close(op)

	iv := []byte("an iv of 16 byte")
	plain := []byte("exactly thirty-two bytes of text")
	oob, err := Control(unix.ALG_OP_ENCRYPT, iv, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := unix.SendmsgN(op, plain, oob, nil, 0); err != nil {
		t.Fatalf("sendmsg with your control messages: %v", err)
	}
	got := make([]byte, len(plain))
	if _, err := unix.Read(op, got); err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	want := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(want, plain)
	if !bytes.Equal(got, want) {
		t.Fatalf("the kernel produced % x, crypto/cipher % x", got, want)
	}
}
