"""The build: the MkDocs plugin (``primer.build.plugin``) and its stages (``primer.build.stages``), the adapter
to mkdocs-bibtex's internals, and the caches that let a build reuse what an earlier one made."""
