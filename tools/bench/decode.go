package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/sockbook/sockbook/pkg/sniff"
)

// DecodeRun is one decoder's cost per packet, as testing.Benchmark
// measured it.
type DecodeRun struct {
	Packet  string  `json:"packet"`
	Decoder string  `json:"decoder"`
	Round   int     `json:"round"`
	NsPer   float64 `json:"ns_per_packet"`
	Allocs  int64   `json:"allocs_per_packet"`
	Bytes   int64   `json:"bytes_per_packet"`
	Packets int     `json:"packets"`
	Err     string  `json:"error,omitempty"`
}

// decoder decodes one packet the way a sniffer's hot loop would.
type decoder struct {
	packet, name string
	anchor       bool // gopacket, the outside reference
	decode       func() func(pkt []byte) error
}

// samplePackets builds the packets the decoders are timed on: a SYN with
// the options Linux sends, and an ARP request.
func samplePackets() (syn, arp []byte, err error) {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP,
		SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1)}
	tcp := &layers.TCP{SrcPort: 43988, DstPort: 5566, Seq: 1, SYN: true, Window: 65495, Options: []layers.TCPOption{
		{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0xff, 0xd7}},
		{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2},
		{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: make([]byte, 8)},
		{OptionType: layers.TCPOptionKindNop},
		{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
	}}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		return nil, nil, err
	}
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, opts, ip, tcp); err != nil {
		return nil, nil, fmt.Errorf("build the SYN: %w", err)
	}
	syn = append([]byte(nil), buf.Bytes()...)

	req := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: layers.ARPRequest,
		SourceHwAddress: []byte{0x02, 0, 0, 0, 0, 1}, SourceProtAddress: []byte{192, 168, 0, 1},
		DstHwAddress: make([]byte, 6), DstProtAddress: []byte{192, 168, 0, 2}}
	buf = gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, opts, req); err != nil {
		return nil, nil, fmt.Errorf("build the ARP request: %w", err)
	}
	return syn, append([]byte(nil), buf.Bytes()...), nil
}

func decoders(syn, arp []byte) ([]decoder, map[string][]byte) {
	packets := map[string][]byte{"IPv4+TCP SYN": syn, "ARP request": arp}
	return []decoder{
		{"IPv4+TCP SYN", "sniff Decode (reused values)", false, func() func([]byte) error {
			var ip sniff.IPv4
			var tcp sniff.TCP
			return func(pkt []byte) error {
				if err := ip.Decode(pkt); err != nil {
					return err
				}
				return tcp.Decode(ip.Payload)
			}
		}},
		{"IPv4+TCP SYN", "sniff ParseIPv4+ParseTCP", false, func() func([]byte) error {
			return func(pkt []byte) error {
				ip, err := sniff.ParseIPv4(pkt)
				if err != nil {
					return err
				}
				_, err = sniff.ParseTCP(ip.Payload)
				return err
			}
		}},
		{"IPv4+TCP SYN", "gopacket DecodingLayerParser", true, func() func([]byte) error {
			var ip layers.IPv4
			var tcp layers.TCP
			p := gopacket.NewDecodingLayerParser(layers.LayerTypeIPv4, &ip, &tcp)
			found := make([]gopacket.LayerType, 0, 2)
			return func(pkt []byte) error { return p.DecodeLayers(pkt, &found) }
		}},
		{"ARP request", "sniff Decode (reused values)", false, func() func([]byte) error {
			var a sniff.ARP
			return a.Decode
		}},
		{"ARP request", "sniff ParseARP", false, func() func([]byte) error {
			return func(pkt []byte) error {
				_, err := sniff.ParseARP(pkt)
				return err
			}
		}},
		{"ARP request", "gopacket DecodingLayerParser", true, func() func([]byte) error {
			var a layers.ARP
			p := gopacket.NewDecodingLayerParser(layers.LayerTypeARP, &a)
			found := make([]gopacket.LayerType, 0, 1)
			return func(pkt []byte) error { return p.DecodeLayers(pkt, &found) }
		}},
	}, packets
}

// runDecode is the decode subcommand.
func runDecode(ctx context.Context, args []string, common *commonFlags) (*Report, error) {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	common.register(fs)
	rounds := fs.Int("rounds", 5, "rounds; figures are medians")
	benchtime := fs.Duration("benchtime", time.Second, "time per decoder per round")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if common.short {
		shortDefault(fs, "rounds", "1")
		shortDefault(fs, "benchtime", "100ms")
	}
	if *rounds < 1 || *benchtime <= 0 {
		return nil, fmt.Errorf("-rounds %d -benchtime %v: both must be positive", *rounds, *benchtime)
	}
	// testing.Benchmark reads its time budget from the testing flags.
	testing.Init()
	if err := flag.Set("test.benchtime", benchtime.String()); err != nil {
		return nil, err
	}
	syn, arp, err := samplePackets()
	if err != nil {
		return nil, err
	}
	decs, packets := decoders(syn, arp)
	for _, d := range decs {
		if err := d.decode()(packets[d.packet]); err != nil {
			return nil, fmt.Errorf("%s on %s: %w", d.name, d.packet, err)
		}
	}

	var runs []DecodeRun
	for round := 1; round <= *rounds; round++ {
		for _, d := range decs {
			pkt, decode := packets[d.packet], d.decode()
			var failed error
			res := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := decode(pkt); err != nil {
						failed = err
						b.FailNow()
					}
				}
			})
			run := DecodeRun{Packet: d.packet, Decoder: d.name, Round: round, Packets: res.N,
				NsPer: float64(res.T.Nanoseconds()) / float64(max(res.N, 1)), Allocs: res.AllocsPerOp(), Bytes: res.AllocedBytesPerOp()}
			if failed != nil {
				run.Err = failed.Error()
			}
			runs = append(runs, run)
			fmt.Fprintf(os.Stderr, "decode: round %d %-13s %-30s %6.1f ns %d allocs\n", round, d.packet, d.name, run.NsPer, run.Allocs)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
	}

	r := &Report{Name: "decode", Title: "Packet decoders: pkg/sniff against gopacket", Started: time.Now(), Machine: describeMachine(), Raw: runs}
	r.Notes = []string{fmt.Sprintf("Each decoder decodes the same packet over and over under testing.Benchmark for %v per round, %d rounds; figures are medians. "+
		"gopacket is timed with a DecodingLayerParser over reused layers, its fastest mode. "+
		"The micro benchmarks behind this are `go test -bench . ./pkg/sniff ./pkg/addr`.", *benchtime, *rounds)}
	t := Table{Title: "Cost per packet", Columns: []string{"packet", "decoder", "ns/packet", "allocs/packet", "B/packet", "speed vs gopacket"}}
	chart := Chart{File: "decode.svg", Title: "ns per packet (lower is better)", Unit: "ns"}
	anchorNs := map[string]float64{}
	figures := func(d decoder) (ns, allocs, bytes float64) {
		var a, b, c []float64
		for _, run := range runs {
			if run.Packet == d.packet && run.Decoder == d.name && run.Err == "" {
				a, b, c = append(a, run.NsPer), append(b, float64(run.Allocs)), append(c, float64(run.Bytes))
			}
		}
		return median(a), median(b), median(c)
	}
	for _, d := range decs {
		if d.anchor {
			anchorNs[d.packet], _, _ = figures(d)
		}
	}
	for _, d := range decs {
		ns, allocs, bytes := figures(d)
		speed := anchorNs[d.packet] / ns
		t.Rows = append(t.Rows, []string{d.packet, d.name, formatValue(ns), formatValue(allocs), formatValue(bytes), formatValue(speed) + "×"})
		chart.Bars = append(chart.Bars, Bar{Label: shortDecoder(d), Series: decoderSeries(d), Value: ns})
		if d.name == "sniff Decode (reused values)" {
			verdict := "**met**"
			if speed < 1 || allocs > 0 {
				verdict = "**missed**"
			}
			r.Notes = append(r.Notes, fmt.Sprintf("Target for %s: ≥ 1.0× gopacket's speed with 0 allocations per packet: %s is %s× gopacket's speed with %s allocations — %s.",
				d.packet, d.name, formatValue(speed), formatValue(allocs), verdict))
		}
		if d.name == "sniff ParseARP" && allocs == 0 {
			r.Notes = append(r.Notes, "ParseARP allocates nothing here only because it is inlined into the timed loop, which drops the *ARP it returns, "+
				"so the compiler keeps that value on the stack; a capture loop that keeps or passes on the result pays one allocation per packet, "+
				"which the Decode method avoids whatever the caller does with its value.")
		}
	}
	r.Tables = []Table{t}
	r.Charts = []Chart{chart}
	return r, nil
}

// decoderSeries names the way of decoding d uses, the same for both
// packets: Decode into reused values, the Parse functions, or gopacket.
func decoderSeries(d decoder) string {
	return map[string]string{
		"sniff Decode (reused values)": "sniff Decode",
		"sniff ParseIPv4+ParseTCP":     "sniff Parse",
		"sniff ParseARP":               "sniff Parse",
		"gopacket DecodingLayerParser": "gopacket",
	}[d.name]
}

func shortDecoder(d decoder) string {
	name := map[string]string{
		"sniff Decode (reused values)": "sniff Decode",
		"sniff ParseIPv4+ParseTCP":     "sniff Parse",
		"sniff ParseARP":               "sniff ParseARP",
		"gopacket DecodingLayerParser": "gopacket",
	}[d.name]
	pkt := map[string]string{"IPv4+TCP SYN": "SYN", "ARP request": "ARP"}[d.packet]
	return pkt + ": " + name
}
