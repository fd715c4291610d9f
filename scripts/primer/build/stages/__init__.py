"""The build's stages: what the primer plugin (primer.build.plugin) calls at each MkDocs event, one job to a
module. Each stage's state lives on its own object, made fresh for every build (and every rebuild of
`mkdocs serve`) by the plugin; what it needs from an earlier stage comes in its arguments."""
