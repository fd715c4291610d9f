"""primer: the logic of the dual-circulation primer, one package (the files of scripts/).

The MkDocs hooks in hooks/ call into it and share a build's state through `primer.build_state`;
the tests import it; each tool with a command line runs as ``python -m primer.NAME`` (the
Makefile's verbs call them). No module here imports MkDocs except those that say so.
"""
