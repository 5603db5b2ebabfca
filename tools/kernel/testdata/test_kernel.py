"""jupyter_kernel_test's protocol checks, run against the sockbook kernel.

Every check the kernel passes is listed as a plain test, so that a
regression fails. The known gaps of gophernotes v0.7.5 are marked
expectedFailure with the reason: if one starts to pass, unittest reports an
"unexpected success", which fails the run too, and the mark must go.

Not configured, so skipped: history, pager and clear_output (gophernotes
v0.7.5 answers no history_request and has no pager or clear_output).

Usage: /usr/bin/python3 -m unittest -v test_kernel (with the sockbook
kernelspec installed).
"""

import unittest

import jupyter_kernel_test
from jupyter_kernel_test import msgspec_v5

# Debian pairs jupyter_kernel_test 0.4.5 with jupyter_client 7.4.9, which
# copies msg_id and msg_type to the top level of every message it receives.
# The older validator rejects those extra keys for protocol versions up to
# 5.1 (gophernotes says 5.0): a skew between the two Python packages, not
# something the kernel sent. Validate the message as the kernel sent it.
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
    code_execute_result = [{"code": "6 * 7", "result": "42"}]
    code_display_data = [
        {"code": 'Display(display.HTML("<b>sockbook</b>"))', "mime": "text/html"},
    ]
    code_generate_error = 'panic("on purpose")'

    # Runs first, in a fresh kernel: only builtins are in scope.
    completion_samples = [{"text": "printl", "matches": {"println"}}]
    complete_code_samples = ['fmt.Println("done")', "x := 1"]
    incomplete_code_samples = ["func f() {", "for {"]
    # Invalid code is checked on its own, in test_is_complete_invalid.
    invalid_code_samples = []

    # gophernotes v0.7.5 answers no inspect_request.
    code_inspect_sample = "fmt.Println"

    @unittest.expectedFailure
    def test_completion(self):
        """Known gap: gophernotes v0.7.5 completes ("printl" gives
        "println"), but its complete_reply has no "metadata"."""
        super().test_completion()

    @unittest.expectedFailure
    def test_kernel_info(self):
        """Known gap: gophernotes v0.7.5's kernel_info_reply has no "status"."""
        super().test_kernel_info()

    @unittest.expectedFailure
    def test_error(self):
        """Known gap: gophernotes v0.7.5 sends a null traceback in error replies."""
        super().test_error()

    @unittest.expectedFailure
    def test_is_complete_invalid(self):
        """Known gap: gophernotes v0.7.5 reports invalid code "complete"."""
        self.complete_code_samples = []
        self.incomplete_code_samples = []
        self.invalid_code_samples = ["x := = 1"]
        self.test_is_complete()

    @unittest.expectedFailure
    def test_inspect(self):
        """Known gap: gophernotes v0.7.5 answers no inspect_request."""
        super().test_inspect()


if __name__ == "__main__":
    unittest.main()
