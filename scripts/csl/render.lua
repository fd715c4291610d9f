-- A pandoc custom writer (scripts/csl_render.py): every reference of the document's bibliography
-- rendered by pandoc's citeproc once per style named in the metadata field `styles` (name: CSL
-- file), as plain text without line wrapping, written as JSON {style: {id: text}}. One pandoc
-- process renders every style.
function Writer(doc, opts)
  local result = {}
  for name, path in pairs(doc.meta.styles) do
    local copy = doc:clone()
    copy.meta.csl = pandoc.utils.stringify(path)
    local entries = {}
    pandoc.utils.citeproc(copy):walk({
      Div = function(div)
        if div.identifier:sub(1, 4) == "ref-" then
          local text = pandoc.write(pandoc.Pandoc(div.content), "plain", {wrap_text = "none"})
          entries[div.identifier:sub(5)] = (text:gsub("%s+$", ""))
        end
      end
    })
    result[pandoc.utils.stringify(name)] = entries
  end
  return pandoc.json.encode(result)
end
