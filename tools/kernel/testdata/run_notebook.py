"""Run a notebook with the sockbook kernel under nbclient and compare its
stdout, cell by cell, with the outputs stored in it.

Usage: /usr/bin/python3 run_notebook.py NOTEBOOK.ipynb
"""

import copy
import sys

import nbformat
from nbclient import NotebookClient


def stdout_of(cell):
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


def main(path):
    expected = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(expected)
    NotebookClient(nb, kernel_name="sockbook", timeout=60).execute()
    failed = 0
    for i, (want, got) in enumerate(zip(expected.cells, nb.cells)):
        if want.cell_type != "code":
            continue
        errors = [o for o in got.outputs if o.get("output_type") == "error"]
        if errors or stdout_of(want) != stdout_of(got):
            failed += 1
            print(f"cell {i}: want stdout {stdout_of(want)!r}, got {stdout_of(got)!r}, errors {errors}")
    if failed:
        print(f"{path}: {failed} cell(s) differ")
        return 1
    print(f"{path}: every cell's stdout matches")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
