-- A pandoc custom writer (scripts/primer/site/csl_render.py): rendered by pandoc's citeproc once per style named
-- in the metadata field `styles` (name: CSL file), as plain text without line wrapping, and written
-- as JSON {style: {"references": {id: text}, "html": {id: HTML}, "citations": {span id: text}}}: every reference
-- of the document's bibliography, as text and as HTML (the same rendering: a page prints the HTML, a reader copies
-- the text), and the citation inside each span with an id ([[@key, sec. 4.2]]{#c1}).
-- One pandoc process renders every style.
local function plain(blocks)
  return (pandoc.write(pandoc.Pandoc(blocks), "plain", {wrap_text = "none"}):gsub("%s+$", ""))
end

local function html(blocks)
  local text = pandoc.write(pandoc.Pandoc(blocks), "html", {wrap_text = "none"}):gsub("%s+$", "")
  return (text:gsub("^<p>", ""):gsub("</p>$", ""))
end

function Writer(doc, opts)
  local result = {}
  for name, path in pairs(doc.meta.styles) do
    local copy = doc:clone()
    copy.meta.csl = pandoc.utils.stringify(path)
    local references, htmls, citations = {}, {}, {}
    pandoc.utils.citeproc(copy):walk({
      Div = function(div)
        if div.identifier:sub(1, 4) == "ref-" then
          references[div.identifier:sub(5)] = plain(div.content)
          htmls[div.identifier:sub(5)] = html(div.content)
        end
      end,
      Span = function(span)
        if span.identifier ~= "" then
          citations[span.identifier] = plain({pandoc.Plain(span.content)})
        end
      end
    })
    result[pandoc.utils.stringify(name)] = {references = references, html = htmls, citations = citations}
  end
  return pandoc.json.encode(result)
end
