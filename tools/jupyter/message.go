package jupyter

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ProtocolVersion is the version of the Jupyter messaging protocol the
// client speaks.
const ProtocolVersion = "5.3"

// delimiter separates a message's routing identities from its body.
const delimiter = "<IDS|MSG>"

// A Header identifies a message and says what it is.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// A Message is one Jupyter message, as sent on any channel.
type Message struct {
	// Identities are the ZeroMQ routing prefixes; clients leave them empty.
	Identities [][]byte
	Header     Header
	// ParentHeader is the header of the request this message answers; its
	// MsgID is empty on messages that answer nothing.
	ParentHeader Header
	Metadata     map[string]any
	// Content is the message type's own body, kept as JSON until the
	// receiver knows what to decode it into.
	Content json.RawMessage
	Buffers [][]byte

	channel string // where a Server received it
}

// DecodeContent unmarshals the message's content into v.
func (m *Message) DecodeContent(v any) error {
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("jupyter: decode %s content: %w", m.Header.MsgType, err)
	}
	return nil
}

// ErrSignature reports a message whose HMAC does not match its body.
var ErrSignature = errors.New("jupyter: message signature does not match")

// newID returns a random UUID (version 4) in its usual text form, as
// message and session identifiers are written.
func newID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails on Linux
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newHeader returns a fresh header for a message of msgType in session.
func newHeader(session, msgType string) Header {
	return Header{
		MsgID:    newID(),
		Session:  session,
		Username: "sockbook",
		Date:     time.Now().UTC().Format(time.RFC3339Nano),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// signer computes message signatures: HMAC-SHA256, keyed with the
// connection's key, over header, parent header, metadata and content. An
// empty key turns signing off, as the protocol allows.
type signer struct{ key []byte }

// sign returns the hex signature of the four JSON parts.
func (s signer) sign(parts ...[]byte) []byte {
	if len(s.key) == 0 {
		return nil
	}
	mac := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	sum := mac.Sum(nil)
	return []byte(hex.EncodeToString(sum))
}

// encode turns m into ZeroMQ frames: identities, delimiter, signature,
// header, parent header, metadata, content, buffers.
func (s signer) encode(m *Message) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, err
	}
	// A message that answers nothing carries an empty parent header: {}.
	parent := []byte("{}")
	if m.ParentHeader != (Header{}) {
		if parent, err = json.Marshal(m.ParentHeader); err != nil {
			return nil, err
		}
	}
	metadata := []byte("{}")
	if len(m.Metadata) > 0 {
		if metadata, err = json.Marshal(m.Metadata); err != nil {
			return nil, err
		}
	}
	content := []byte(m.Content)
	if len(content) == 0 {
		content = []byte("{}")
	}
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, []byte(delimiter), s.sign(header, parent, metadata, content), header, parent, metadata, content)
	return append(frames, m.Buffers...), nil
}

// decode parses ZeroMQ frames into a message, verifying the signature.
func (s signer) decode(frames [][]byte) (*Message, error) {
	i := 0
	for i < len(frames) && string(frames[i]) != delimiter {
		i++
	}
	if len(frames)-i < 6 {
		return nil, fmt.Errorf("jupyter: malformed message: %d frames, no %s delimiter followed by 5 parts", len(frames), delimiter)
	}
	sig, header, parent, metadata, content := frames[i+1], frames[i+2], frames[i+3], frames[i+4], frames[i+5]
	if len(s.key) > 0 {
		want := s.sign(header, parent, metadata, content)
		if !hmac.Equal(bytes.ToLower(sig), want) {
			return nil, ErrSignature
		}
	}
	m := &Message{Identities: frames[:i], Content: json.RawMessage(content), Buffers: frames[i+6:]}
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return nil, fmt.Errorf("jupyter: malformed message header %q: %w", header, err)
	}
	if err := json.Unmarshal(parent, &m.ParentHeader); err != nil {
		return nil, fmt.Errorf("jupyter: malformed %s parent header %q: %w", m.Header.MsgType, parent, err)
	}
	if err := json.Unmarshal(metadata, &m.Metadata); err != nil {
		return nil, fmt.Errorf("jupyter: malformed %s metadata %q: %w", m.Header.MsgType, metadata, err)
	}
	return m, nil
}
