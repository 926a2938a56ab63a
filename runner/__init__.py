"""The grading harness: runs a learner's source against a problem's hidden tests.

The same modules run under CPython (the build's checks and `tests/`) and inside Pyodide in the
page's Web Worker, so they use nothing but the standard library and NumPy.
"""
