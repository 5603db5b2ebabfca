package jupyter

// The contents of the requests and replies a kernel serves, as the Jupyter
// messaging protocol (version 5.3) spells them. Client and Server share them.

// KernelInfo is the content of a kernel_info_reply.
type KernelInfo struct {
	Status                string       `json:"status"`
	ProtocolVersion       string       `json:"protocol_version"`
	Implementation        string       `json:"implementation"`
	ImplementationVersion string       `json:"implementation_version"`
	LanguageInfo          LanguageInfo `json:"language_info"`
	Banner                string       `json:"banner"`
	// Debugger says whether the kernel answers debug_request; it never
	// does here.
	Debugger  bool       `json:"debugger"`
	HelpLinks []HelpLink `json:"help_links"`
}

// LanguageInfo describes the language a kernel runs, for front ends: its
// name and version, how to save and highlight it.
type LanguageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	MIMEType          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	PygmentsLexer     string `json:"pygments_lexer,omitempty"`
	CodeMirrorMode    string `json:"codemirror_mode,omitempty"`
	NBConvertExporter string `json:"nbconvert_exporter,omitempty"`
}

// A HelpLink is an entry of a front end's Help menu.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// ExecuteRequest is the content of an execute_request.
type ExecuteRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    bool              `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     bool              `json:"stop_on_error"`
}

// ExecuteResult is what a Handler's Execute reports; the Server turns it
// into the execute_result, error and execute_reply messages.
type ExecuteResult struct {
	// Data is the result to display (MIME type → representation), or
	// nil when the code has no value to show.
	Data     map[string]any
	Metadata map[string]any
	// Error, when not nil, is why the code failed.
	Error *Error
	// UserExpressions holds the values of the request's user
	// expressions, each a display bundle or an error reply content.
	UserExpressions map[string]any
}

// Error is the content of an error message, and the error fields of a
// reply: what kind of error (ename), its message (evalue), and the lines a
// front end shows (traceback, which may hold ANSI colours).
type Error struct {
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

// Error implements the error interface.
func (e *Error) Error() string { return e.EName + ": " + e.EValue }

// CompleteReply is the content of a complete_reply.
type CompleteReply struct {
	Status      string         `json:"status"`
	Matches     []string       `json:"matches"`
	CursorStart int            `json:"cursor_start"`
	CursorEnd   int            `json:"cursor_end"`
	Metadata    map[string]any `json:"metadata"`
}

// InspectReply is the content of an inspect_reply.
type InspectReply struct {
	Status   string         `json:"status"`
	Found    bool           `json:"found"`
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// IsCompleteReply is the content of an is_complete_reply.
type IsCompleteReply struct {
	Status string `json:"status"` // complete, incomplete, invalid or unknown
	Indent string `json:"indent,omitempty"`
}

// HistoryRequest is the content of a history_request.
type HistoryRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"` // range, tail or search
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           int    `json:"stop"`
	N              int    `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}
