package sniff

import (
	"reflect"
	"testing"
)

// The fuzz targets feed arbitrary bytes to the decoders. Beyond not
// panicking, a decoding that succeeds must be consistent with the lengths
// it claims, so a decoder cannot read past what it was given.

func FuzzIPv4TCP(f *testing.F) {
	f.Add([]byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1})
	f.Add(append([]byte{0x46, 0, 0, 44, 0, 0, 0, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1, 1, 7, 3, 0},
		0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		ip, err := ParseIPv4(b)
		if err != nil {
			return
		}
		hlen := int(ip.IHL) * 4
		if hlen < 20 || int(ip.TotalLength) > len(b) || len(ip.Payload) != int(ip.TotalLength)-hlen {
			t.Fatalf("IHL %d, TotalLength %d, payload %d bytes of %d", ip.IHL, ip.TotalLength, len(ip.Payload), len(b))
		}
		optBytes := 0
		for _, o := range ip.Options {
			optBytes += int(o.Length)
			if o.Type > 1 && int(o.Length) != 2+len(o.Data) {
				t.Fatalf("option %+v", o)
			}
		}
		if optBytes > hlen-20 {
			t.Fatalf("options span %d bytes > %d", optBytes, hlen-20)
		}
		tcp, err := ParseTCP(ip.Payload)
		if err != nil {
			return
		}
		if got := int(tcp.DataOffset)*4 + len(tcp.Payload); got != len(ip.Payload) {
			t.Fatalf("TCP header and payload %d bytes, segment %d", got, len(ip.Payload))
		}
		_ = tcp.Dump()
	})
}

func FuzzEthernetARP(f *testing.F) {
	f.Add([]byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 0x08, 0x06,
		0, 1, 8, 0, 6, 4, 0, 1, 1, 2, 3, 4, 5, 6, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		eth, err := ParseEthernet(b)
		if err != nil {
			return
		}
		arp, err := ParseARP(eth.Payload)
		if err != nil {
			return
		}
		if len(arp.SenderHardwareAddr) != int(arp.HardwareLen) || len(arp.TargetHardwareAddr) != int(arp.HardwareLen) ||
			len(arp.SenderProtocolAddr) != int(arp.ProtocolLen) || len(arp.TargetProtocolAddr) != int(arp.ProtocolLen) {
			t.Fatalf("address lengths do not match %d and %d: %+v", arp.HardwareLen, arp.ProtocolLen, arp)
		}
		// Decode into values that held a longer frame must agree with
		// the fresh values of the Parse functions.
		var usedEth Ethernet
		var usedARP ARP
		if err := usedEth.Decode(longARPFrame()); err != nil {
			t.Fatal(err)
		}
		if err := usedARP.Decode(usedEth.Payload); err != nil {
			t.Fatal(err)
		}
		if err := usedEth.Decode(b); err != nil {
			t.Fatalf("Decode: %v, ParseEthernet succeeded", err)
		}
		if err := usedARP.Decode(usedEth.Payload); err != nil {
			t.Fatalf("Decode: %v, ParseARP succeeded", err)
		}
		if !reflect.DeepEqual(*eth, usedEth) || !reflect.DeepEqual(*arp, usedARP) {
			t.Fatalf("Decode into used values gave %+v %+v, Parse %+v %+v", usedEth, usedARP, *eth, *arp)
		}
		_ = eth.Dump() + arp.Dump()
	})
}
