package session

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// specialHelp is what %help prints.
const specialHelp = `Lines at the start of a cell may be commands instead of Go:
  %cd [dir]    change the kernel's working directory (default: home)
  %help        show this help
  $cmd args    run a program; its output is the cell's
The predeclared ctx is the cell's context: Interrupt cancels it.
`

// special runs the commands on the cell's leading lines ("%cd dir",
// "$ls -l"), as gophernotes does, and returns the rest of the code with
// those lines blanked, so that line numbers stay the same.
func (s *Session) special(c *cell) (string, *Error) {
	lines := strings.Split(c.code, "\n")
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		var err error
		switch trimmed[0] {
		case '%':
			err = percentCommand(trimmed)
		case '$':
			err = shellCommand(c, trimmed[1:])
		default:
			return strings.Join(lines, "\n"), nil
		}
		if err != nil {
			if c.isInterrupted() {
				return "", &Error{Kind: Interrupted, Message: err.Error()}
			}
			return "", &Error{Kind: Panic, ValueType: "error", Message: err.Error(), Frames: []Frame{c.frameAt(i+1, 1)}}
		}
		lines[i] = ""
	}
	return strings.Join(lines, "\n"), nil
}

// percentCommand runs a %-command.
func percentCommand(line string) error {
	cmd, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case "%cd":
		if arg == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return fmt.Errorf("%%cd: %w", err)
			}
			arg = home
		}
		if err := os.Chdir(arg); err != nil {
			return fmt.Errorf("%%cd: %w", err)
		}
		return nil
	case "%help":
		_, err := os.Stdout.WriteString(specialHelp)
		return err
	}
	return fmt.Errorf("unknown command %q; %%help lists them", cmd)
}

// shellCommand runs "cmd args..." with the cell's output; an interrupt
// kills it.
func shellCommand(c *cell, line string) error {
	args := strings.Fields(line)
	if len(args) == 0 {
		return nil
	}
	cmd := exec.CommandContext(c.ctx, args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("$%s: %w", line, err)
	}
	return nil
}
