"""jupyter_kernel_test's protocol checks, run against the sockbook kernel.

Every check is a plain test: none is expected to fail. Two cannot apply and
are skipped by jupyter_kernel_test itself, for want of a sample:

- test_pager: the pager is IPython's "?" help in a payload; the kernel
  answers help through inspect_request (Shift-Tab) instead.
- test_clear_output: a cell could clear its output only through a display
  function the kernel does not offer.

Usage: /usr/bin/python3 -m unittest -v test_kernel (with the sockbook
kernelspec installed).
"""

import unittest

import jupyter_kernel_test
from jupyter_kernel_test import msgspec_v5

# Debian pairs jupyter_kernel_test 0.4.5 with jupyter_client 7.4.9, which
# copies msg_id and msg_type to the top level of every message it receives.
# The validator rejects those extra keys for protocol versions up to 5.1,
# and accepts them for 5.3, the kernel's; validating the message as the
# kernel sent it keeps the check strict either way.
_validate = msgspec_v5.validate_message


def _validate_as_sent(msg, msg_type=None, parent_id=None):
    sent = {k: v for k, v in msg.items() if k not in ("msg_id", "msg_type")}
    return _validate(sent, msg_type, parent_id)


jupyter_kernel_test.validate_message = _validate_as_sent


class SockbookKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "sockbook"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'import "fmt"\nfmt.Println("hello, world")'
    code_stderr = 'import "os"\nos.Stderr.WriteString("on stderr\\n")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"sock" + "book"', "result": "sockbook"},
        {"code": "1 << 10", "result": "1024"},
    ]
    code_display_data = [
        {"code": 'Display(display.HTML("<b>sockbook</b>"))', "mime": "text/html"},
    ]
    code_generate_error = 'panic("on purpose")'

    # history: every execution of code_execute_result is stored; the
    # pattern matches "6 * 7" only.
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 *"

    # Runs first, in a fresh kernel: only builtins are in scope.
    completion_samples = [{"text": "printl", "matches": {"println"}}]
    complete_code_samples = ['fmt.Println("done")', "x := 1", "for i := 0; i < 3; i++ {\n}"]
    incomplete_code_samples = ["func f() {", "for {", "x := ", "x := 1 +"]
    invalid_code_samples = ["x := = 1", "x := )(", "}"]

    # Shift-Tab on a standard function: its declaration and doc.
    code_inspect_sample = 'import "fmt"\nfmt.Println'


if __name__ == "__main__":
    unittest.main()
