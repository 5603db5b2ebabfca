package sitegen

import (
	"bytes"
	"encoding/json"
)

// searchIndexFile is the search index in the built site: a script, so it
// loads from file:// where fetch cannot read files.
const searchIndexFile = "search-index.js"

const searchIndexPrefix = "window.sockbookSearch="

// indexTexts returns the strings of a built search index that the search
// box shows as text: titles, the pages they are on, snippets.
func indexTexts(data []byte) []string {
	data = bytes.TrimSuffix(bytes.TrimSpace(bytes.TrimPrefix(data, []byte(searchIndexPrefix))), []byte(";"))
	var entries [][]string
	if json.Unmarshal(data, &entries) != nil {
		return []string{"unreadable search index"}
	}
	var out []string
	for _, e := range entries {
		if len(e) > 2 {
			out = append(out, e[0], e[2])
		}
	}
	return out
}
