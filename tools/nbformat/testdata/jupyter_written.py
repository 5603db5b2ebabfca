"""Writes jupyter_written.ipynb with Jupyter's own writer (nbformat).

The Go package must read this file and write it back byte for byte. Run
with Debian's python3-nbformat: /usr/bin/python3 jupyter_written.py
"""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

nb = new_notebook(metadata={
    "kernelspec": {"name": "sockbook", "display_name": "Go (sockbook)", "language": "go"},
    "language_info": {"name": "go", "version": "1.26"},
    "sockbook": {"sanitizers": [{"pattern": "127\\.0\\.0\\.1:\\d+", "replace": "127.0.0.1:PORT"}]},
    "numbers": {"int": 3, "float": 1.5, "big": 1e300, "neg": -0.25},
})
nb.cells = [
    new_markdown_cell("# Addresses\n\nUnicode: héllo — ünïcödé ✓, <b>&amp;</b>\n", id="intro"),
    new_markdown_cell("", id="empty-md"),
    new_code_cell(
        'fmt.Println("tab\\there")\nx := 1 // \u2028 line separator\n',
        id="code-1",
        execution_count=1,
        metadata={"tags": ["raises-exception"], "sockbook": {"recipe": "hostname"}},
        outputs=[
            new_output("stream", name="stdout", text="one\ntwo\r\nthree\rfour\x0cfive\n"),
            new_output("stream", name="stderr", text="warn: \x01 control\n"),
            new_output("execute_result", execution_count=1,
                       data={"text/plain": "12 <nil>", "text/html": "<pre>\n12\n</pre>", "application/json": {"a": [1, 2], "b": None}}),
            new_output("display_data", data={"text/plain": "shown"}, metadata={"isolated": True}),
            new_output("error", ename="ERROR", evalue="boom \"quoted\"", traceback=["line 1", "line 2"]),
        ],
    ),
    new_code_cell("", id="code-empty", execution_count=None),
    new_raw_cell("raw text\nno newline at end", id="raw-1"),
]
nbformat.validate(nb)
with open("jupyter_written.ipynb", "w", encoding="utf-8") as f:
    nbformat.write(nb, f)
