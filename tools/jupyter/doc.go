// Package jupyter is a client for the Jupyter messaging protocol (version
// 5), over ZeroMQ: it starts a kernel from a kernelspec, connects to its
// shell, iopub, control, stdin and heartbeat channels, signs and checks every
// message with HMAC-SHA256, and runs code, gathering everything the kernel
// publishes for it.
//
//	k, err := jupyter.StartKernel(spec, nil, nil)
//	...
//	defer k.Close(time.Second)
//	c, err := k.Dial(ctx)
//	...
//	defer c.Close()
//	ex, err := c.Execute(ctx, `fmt.Println("hi")`)
//	// ex.Stdout() == "hi\n", ex.Reply.Status == "ok"
//	err = c.Shutdown(ctx, false)
//
// It needs no Python and no libzmq: github.com/go-zeromq/zmq4 is a pure Go
// ZeroMQ.
package jupyter
