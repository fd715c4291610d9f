"""The site's parts, plain functions from data to Markdown or HTML (no MkDocs import): citation marks and notes,
cite records and formats, charts, the print edition, the glossary, the claims pages, corrections, reading."""
