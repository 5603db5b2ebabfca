// Package nbrun executes a notebook's code cells in order through a
// Jupyter kernel and checks the outputs against those stored in the
// notebook, which are the golden results; or, when updating, stores the
// new outputs in their place.
//
// What is compared is what a reader sees: the text of each stream (stdout
// and stderr separately, however the kernel chunked it), the text/plain
// and text/html forms of results and displays, and the name and value of
// errors. Execution counts, metadata and tracebacks are not.
//
// Notebooks steer the runner with Jupyter's conventions and a "sockbook"
// metadata key:
//
//   - the cell tag "skip-execution" skips a cell;
//   - the cell tag "raises-exception" marks a cell that is meant to fail;
//     any other cell that fails stops the run, as in nbclient;
//   - cell metadata {"sockbook": {"requires": ["root", "afalg"]}} names what
//     the machine must offer (see Requirements); where it is missing the
//     cell is skipped with that reason and its stored outputs are kept;
//   - notebook metadata {"sockbook": {"sanitizers": [{"pattern": "…",
//     "replace": "…"}]}} lists regular expressions applied to both the
//     stored and the new text before comparing, for values that change
//     from run to run.
package nbrun
