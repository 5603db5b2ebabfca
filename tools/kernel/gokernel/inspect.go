package gokernel

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/cosmos72/gomacro/imports"
	xr "github.com/cosmos72/gomacro/xreflect"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/cellsrc"
	"github.com/sockbook/sockbook/tools/kernel/docs"
	"github.com/sockbook/sockbook/tools/kernel/session"
)

// maxValueText is how much of a variable's value inspect shows.
const maxValueText = 400

// Inspect answers Shift-Tab: what the identifier or selector at cursor is.
// For a name of a linked package, its declaration and doc comment; for a
// cell's variable, its type and value, then the documentation of its type
// (and of its dynamic type, for an interface); for a field or method of
// either, that member's.
func (k *Kernel) Inspect(code string, cursor, detail int) jupyter.InspectReply {
	expr, _, _, ok := cellsrc.IdentAt(code, cursor)
	if !ok {
		return jupyter.InspectReply{}
	}
	d, ok := k.describe(expr)
	if !ok {
		return jupyter.InspectReply{}
	}
	return jupyter.InspectReply{Found: true, Data: map[string]any{"text/plain": d.text(), "text/markdown": d.markdown()}}
}

// description is what inspect shows: a heading (a declaration or a
// variable's type and value) and documentation entries.
type description struct {
	head    string // Go source: "var ln net.Listener = ..."
	entries []docs.Entry
}

func (d description) text() string {
	var parts []string
	if d.head != "" {
		parts = append(parts, d.head)
	}
	for _, e := range d.entries {
		parts = append(parts, e.Text())
	}
	return strings.Join(parts, "\n\n")
}

func (d description) markdown() string {
	var parts []string
	if d.head != "" {
		parts = append(parts, "```go\n"+d.head+"\n```")
	}
	for _, e := range d.entries {
		parts = append(parts, e.Markdown())
	}
	return strings.Join(parts, "\n\n")
}

// describe resolves a selector expression such as addr.InetAton, ln,
// ln.Accept or opts.Logger.
func (k *Kernel) describe(expr string) (description, bool) {
	parts := strings.Split(expr, ".")
	b, ok := k.s.Lookup(parts[0])
	if !ok {
		// Not imported yet (Shift-Tab in a cell not run yet): a linked
		// package of that name, if there is exactly one.
		path, found := linkedPackageNamed(parts[0])
		if !found {
			return description{}, false
		}
		b = session.Binding{Name: parts[0], Kind: session.Package, Path: path}
	}
	switch b.Kind {
	case session.Package:
		return k.describePackageMember(b.Path, parts[1:])
	case session.TypeName:
		d := description{head: "type " + parts[0] + " " + typeString(b.Type)}
		d.entries = k.typeDocs(b.Type.ReflectType())
		return d, true
	}
	// A variable, constant or function of the session.
	if len(parts) == 1 {
		return k.describeValue(b), true
	}
	return k.describeSelector(b.Type.ReflectType(), b.Value, parts)
}

// describePackageMember documents path's member named by the rest of a
// selector: a function, type, variable or constant, a type's method or
// field, or a method of a package variable's type (binary.BigEndian.Uint32).
func (k *Kernel) describePackageMember(path string, rest []string) (description, bool) {
	if k.cfg.Docs == nil {
		return description{}, false
	}
	if e, ok := k.cfg.Docs.Lookup(path, strings.Join(rest, ".")); ok {
		return description{entries: []docs.Entry{e}}, true
	}
	if len(rest) >= 2 {
		// A package variable's method or field: find its type.
		if v, ok := k.cfg.Docs.Lookup(path, rest[0]); ok && v.Kind == "var" {
			if t, ok := k.packageVarType(path, rest[0]); ok {
				return k.describeSelector(t, reflect.Value{}, append([]string{rest[0]}, rest[1:]...))
			}
		}
	}
	return description{}, false
}

// packageVarType returns the type of a linked package's variable, as the
// interpreter sees it.
func (k *Kernel) packageVarType(path, name string) (reflect.Type, bool) {
	b, ok := k.s.PackageMember(path, name)
	if !ok || b.Type == nil {
		return nil, false
	}
	return b.Type.ReflectType(), true
}

// describeValue shows a session variable, constant or function: its
// declaration with its value, and the docs of its type.
func (k *Kernel) describeValue(b session.Binding) description {
	keyword := map[session.BindingKind]string{session.Variable: "var", session.Constant: "const", session.Function: "func"}[b.Kind]
	head := keyword + " " + b.Name
	if b.Type != nil && b.Kind != session.Function {
		head += " " + typeString(b.Type)
	} else if b.Type != nil {
		head += strings.TrimPrefix(typeString(b.Type), "func")
	}
	if b.Kind != session.Function && b.Value.IsValid() && b.Value.CanInterface() {
		head += " = " + valueText(b.Value)
	}
	d := description{head: head}
	if b.Type != nil {
		d.entries = k.typeDocs(b.Type.ReflectType())
		if b.Value.IsValid() && b.Value.Kind() == reflect.Interface && !b.Value.IsNil() {
			dyn := b.Value.Elem().Type()
			d.head += "\n// dynamic type: " + dyn.String()
			d.entries = append(d.entries, k.typeDocs(dyn)...)
		}
	}
	return d
}

// describeSelector follows fields from a value of type t along parts[1:]
// and documents the last member: a field or a method.
func (k *Kernel) describeSelector(t reflect.Type, v reflect.Value, parts []string) (description, bool) {
	for i, name := range parts[1:] {
		last := i == len(parts)-2
		// Methods first: on the dynamic type of an interface value, then
		// on the static type.
		if last {
			var entries []docs.Entry
			if v.IsValid() && v.Kind() == reflect.Interface && !v.IsNil() {
				entries = append(entries, k.methodDocs(v.Elem().Type(), name)...)
			}
			entries = append(entries, k.methodDocs(t, name)...)
			if len(entries) > 0 {
				return description{entries: dedupe(entries)}, true
			}
		}
		st := t
		if st.Kind() == reflect.Pointer {
			st = st.Elem()
		}
		if st.Kind() != reflect.Struct {
			return description{}, false
		}
		f, ok := st.FieldByName(name)
		if !ok {
			return description{}, false
		}
		if last {
			d := description{head: "field " + name + " " + f.Type.String()}
			if e, ok := k.lookupNamed(st, name); ok {
				d.entries = append(d.entries, e)
			}
			d.entries = append(d.entries, k.typeDocs(f.Type)...)
			return d, true
		}
		if v.IsValid() {
			if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
				if v.IsNil() {
					v = reflect.Value{}
				} else {
					v = v.Elem()
				}
			}
			if v.IsValid() && v.Kind() == reflect.Struct {
				v = v.FieldByIndex(f.Index)
			} else {
				v = reflect.Value{}
			}
		}
		t = f.Type
	}
	return description{}, false
}

// methodDocs documents method name of t (or of *t), if t is a named type
// of a linked package that has it.
func (k *Kernel) methodDocs(t reflect.Type, name string) []docs.Entry {
	_, ok := t.MethodByName(name)
	if !ok && t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		_, ok = reflect.PointerTo(t).MethodByName(name)
	}
	if !ok {
		return nil
	}
	named := t
	if named.Kind() == reflect.Pointer {
		named = named.Elem()
	}
	if e, ok := k.lookupNamed(named, name); ok {
		return []docs.Entry{e}
	}
	return nil
}

// typeDocs documents t's named type, or the named element type of a
// pointer, slice or map, if a linked package declares it.
func (k *Kernel) typeDocs(t reflect.Type) []docs.Entry {
	for t != nil && t.Name() == "" {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
			t = t.Elem()
		case reflect.Map:
			t = t.Elem()
		default:
			return nil
		}
	}
	if t == nil {
		return nil
	}
	if e, ok := k.lookupNamed(t, ""); ok {
		return []docs.Entry{e}
	}
	return nil
}

// lookupNamed finds the docs of named type t, or of its member.
func (k *Kernel) lookupNamed(t reflect.Type, member string) (docs.Entry, bool) {
	if k.cfg.Docs == nil || t.PkgPath() == "" || t.Name() == "" {
		return docs.Entry{}, false
	}
	name := t.Name()
	if member != "" {
		name += "." + member
	}
	return k.cfg.Docs.Lookup(t.PkgPath(), name)
}

// dedupe drops repeated entries, keeping the first.
func dedupe(entries []docs.Entry) []docs.Entry {
	seen := make(map[string]bool)
	var out []docs.Entry
	for _, e := range entries {
		key := e.Path + "." + e.Name
		if !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return out
}

// linkedPackageNamed returns the import path of the one linked package
// whose name is name.
func linkedPackageNamed(name string) (string, bool) {
	var found []string
	for path, pkg := range imports.Packages {
		if pkg.Name == name {
			found = append(found, path)
		}
	}
	if len(found) != 1 {
		return "", false
	}
	return found[0], true
}

// typeString prints an interpreter type.
func typeString(t xr.Type) string {
	if t == nil {
		return ""
	}
	return t.String()
}

// valueText prints a value the way %v does, cut to a readable length.
func valueText(v reflect.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = "(cannot print)"
		}
	}()
	s = fmt.Sprintf("%v", v.Interface())
	if len(s) > maxValueText {
		s = s[:maxValueText] + "…"
	}
	return s
}
