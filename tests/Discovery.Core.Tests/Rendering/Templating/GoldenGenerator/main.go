// Command goldengen writes the expected outputs of the engine's golden cases with Go's own
// text/template, so the C# engine is pinned to the real thing rather than to itself.
//
// Usage (Go 1.19+, standard library only, not part of any build):
//
//	cd tests/Discovery.Core.Tests/Rendering/Templating/GoldenGenerator && go run . ../Golden
//
// For every <case>.ctmpl in the folder it writes <case>.expected, rendered against catalog.json,
// and nginx-upstreams.expected / nginx-peers.expected from the repository's nginx-templates/.
// consul-template itself cannot be built here (no Go module proxy), so the functions below are
// written from consul-template's documented semantics and its source (template/funcs.go,
// dependency/*.go at hashicorp/consul-template): same argument order, same types (a []string is
// not a []interface{}), same sorting (services by name, instances by node then ID, tags sorted,
// nodes by name then address), same missing-key behaviour (missingkey=zero), root data nil.
// Data comes from catalog.json instead of Consul; time and environment are fixed by it too.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// HealthService mirrors consul-template's dependency.HealthService (the fields the fixture carries).
type HealthService struct {
	Node        string
	NodeAddress string
	ID          string
	Name        string
	Address     string
	Port        int
	Tags        []string
	ServiceMeta map[string]string
	Status      string
}

// CatalogSnippet mirrors dependency.CatalogSnippet (an entry of `services`).
type CatalogSnippet struct {
	Name string
	Tags []string
}

// KeyPair mirrors dependency.KeyPair (an entry of `ls` and `tree`).
type KeyPair struct {
	Path        string
	Key         string
	Value       string
	CreateIndex uint64
	ModifyIndex uint64
	LockIndex   uint64
	Flags       uint64
	Session     string
}

// Node mirrors dependency.Node (an entry of `nodes`, and `node`'s .Node).
type Node struct {
	ID              string
	Node            string
	Address         string
	Datacenter      string
	TaggedAddresses map[string]string
	Meta            map[string]string
}

// CatalogNodeService mirrors dependency.CatalogNodeService (`node`'s .Services).
type CatalogNodeService struct {
	ID                string
	Service           string
	Tags              []string
	Meta              map[string]string
	Port              int
	Address           string
	EnableTagOverride bool
}

// CatalogNode mirrors dependency.CatalogNode (what `node` returns).
type CatalogNode struct {
	Node     *Node
	Services []*CatalogNodeService
}

type fixture struct {
	Instances   []*HealthService  `json:"instances"`
	Keys        map[string]string `json:"keys"`
	Nodes       []*Node           `json:"nodes"`
	LocalNode   string            `json:"localNode"`
	Datacenters []string          `json:"datacenters"`
	Env         map[string]string `json:"env"`
	Now         string            `json:"now"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: goldengen <folder with catalog.json and *.ctmpl>")
		os.Exit(2)
	}
	folder := os.Args[1]
	raw, err := os.ReadFile(filepath.Join(folder, "catalog.json"))
	check(err)
	var data fixture
	check(json.Unmarshal(raw, &data))
	now, err := time.Parse(time.RFC3339Nano, data.Now)
	check(err)

	cases, err := filepath.Glob(filepath.Join(folder, "*.ctmpl"))
	check(err)
	sort.Strings(cases)
	outputs := map[string]string{}
	for _, path := range cases {
		outputs[path] = strings.TrimSuffix(path, ".ctmpl") + ".expected"
	}
	// The repository's nginx templates: the structure and the peer set.
	for _, name := range []string{"upstreams", "peers"} {
		shipped := filepath.Join(folder, "..", "..", "..", "..", "..", "nginx-templates", name+".ctmpl")
		if _, err := os.Stat(shipped); err == nil {
			cases = append(cases, shipped)
			outputs[shipped] = filepath.Join(folder, "nginx-"+name+".expected")
		}
	}
	for _, path := range cases {
		text, err := os.ReadFile(path)
		check(err)
		tmpl := template.New("").Funcs(funcs(&data, now.UTC())).Option("missingkey=zero")
		tmpl, err = tmpl.Parse(string(text))
		check(err)
		var out bytes.Buffer
		if err := tmpl.Execute(&out, nil); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			os.Exit(1)
		}
		expected := outputs[path]
		check(os.WriteFile(expected, out.Bytes(), 0o644))
		fmt.Println("wrote", expected)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func funcs(data *fixture, now time.Time) template.FuncMap {
	return template.FuncMap{
		// Consul data
		"service":      func(s ...string) ([]*HealthService, error) { return service(data, strings.Join(s, "|")) },
		"services":     func() []*CatalogSnippet { return services(data) },
		"key":          func(s string) string { return data.Keys[strings.TrimPrefix(s, "/")] },
		"keyOrDefault": keyOrDefault(data),
		"keyExists": func(s string) bool {
			if s == "" {
				return false
			}
			_, ok := data.Keys[strings.TrimPrefix(s, "/")]
			return ok
		},
		"ls":          func(s string) []*KeyPair { return list(data, s, true) },
		"tree":        func(s string) []*KeyPair { return list(data, s, false) },
		"node":        func(s ...string) interface{} { return node(data, strings.Join(s, "")) },
		"nodes":       func() []*Node { return nodes(data) },
		"datacenters": func(ignore ...bool) []string { return datacenters(data) },
		// helpers, with consul-template's signatures
		"env": func(s string) string {
			if v, ok := data.Env[s]; ok {
				return v
			}
			return ""
		},
		"byTag":           byTag,
		"contains":        func(v, l interface{}) bool { return in(l, v) },
		"in":              in,
		"containsAll":     containsSome(true, true),
		"containsAny":     containsSome(false, false),
		"containsNone":    containsSome(true, false),
		"containsNotAll":  containsSome(false, true),
		"join":            func(sep string, a []string) string { return strings.Join(a, sep) },
		"split":           split,
		"replaceAll":      func(f, t, s string) string { return strings.ReplaceAll(s, f, t) },
		"regexMatch":      regexMatch,
		"regexReplaceAll": regexReplaceAll,
		"trimSpace":       strings.TrimSpace,
		"toLower":         strings.ToLower,
		"toUpper":         strings.ToUpper,
		"toJSON":          toJSON,
		"parseJSON":       parseJSON,
		"timestamp": func(s ...string) (string, error) {
			switch len(s) {
			case 0:
				return now.Format(time.RFC3339), nil
			case 1:
				if s[0] == "unix" {
					return strconv.FormatInt(now.Unix(), 10), nil
				}
				return now.Format(s[0]), nil
			}
			return "", fmt.Errorf("timestamp: wrong number of arguments, expected 0 or 1, but got %d", len(s))
		},
	}
}

var queryRe = regexp.MustCompile(`\A((?P<tag>[\w=:.\-]+)\.)?(?P<name>[\w\-]+)(\|(?P<filter>[\w,]+))?\z`)

func service(data *fixture, query string) ([]*HealthService, error) {
	result := []*HealthService{}
	if query == "" {
		return result, nil
	}
	m := queryRe.FindStringSubmatch(query)
	if m == nil {
		return nil, fmt.Errorf("health.service: invalid format: %q", query)
	}
	tag, name, filter := m[2], m[3], m[5]
	accept := map[string]bool{}
	for _, f := range strings.Split(filter, ",") {
		if f = strings.TrimSpace(f); f != "" {
			accept[f] = true
		}
	}
	if len(accept) == 0 {
		accept["passing"] = true
	}
	for _, s := range data.Instances {
		if s.Name != name || !(accept["any"] || accept[s.Status]) || (tag != "" && !hasTag(s.Tags, tag)) {
			continue
		}
		copied := *s
		copied.Tags = sortedCopy(s.Tags)
		result = append(result, &copied)
	}
	sort.SliceStable(result, func(i, j int) bool {
		if result[i].Node != result[j].Node {
			return result[i].Node < result[j].Node
		}
		return result[i].ID < result[j].ID
	})
	return result, nil
}

func services(data *fixture) []*CatalogSnippet {
	tags := map[string]map[string]bool{}
	for _, s := range data.Instances {
		if tags[s.Name] == nil {
			tags[s.Name] = map[string]bool{}
		}
		for _, t := range s.Tags {
			tags[s.Name][t] = true
		}
	}
	result := []*CatalogSnippet{}
	for name, set := range tags {
		list := []string{}
		for t := range set {
			list = append(list, t)
		}
		sort.Strings(list)
		result = append(result, &CatalogSnippet{Name: name, Tags: list})
	}
	sort.Slice(result, func(i, j int) bool { return result[i].Name < result[j].Name })
	return result
}

func keyOrDefault(data *fixture) func(s, def string) string {
	return func(s, def string) string {
		if s == "" {
			return def
		}
		if v, ok := data.Keys[strings.TrimPrefix(s, "/")]; ok && v != "" {
			return v
		}
		return def
	}
}

// list is kv.list(prefix) as `ls` (top-level keys only) or `tree` (all but folders) show it.
func list(data *fixture, prefix string, topLevelOnly bool) []*KeyPair {
	result := []*KeyPair{}
	if prefix == "" {
		return result
	}
	prefix = strings.TrimPrefix(prefix, "/")
	paths := []string{}
	for path := range data.Keys {
		if strings.HasPrefix(path, prefix) {
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	for _, path := range paths {
		key := strings.TrimLeft(strings.TrimPrefix(path, prefix), "/")
		if topLevelOnly && (key == "" || strings.Contains(key, "/")) {
			continue
		}
		if parts := strings.Split(key, "/"); !topLevelOnly && parts[len(parts)-1] == "" {
			continue
		}
		result = append(result, &KeyPair{Path: path, Key: key, Value: data.Keys[path]})
	}
	return result
}

func node(data *fixture, name string) interface{} {
	if name == "" {
		name = data.LocalNode
	}
	for _, n := range data.Nodes {
		if n.Node != name {
			continue
		}
		services := []*CatalogNodeService{}
		for _, s := range data.Instances {
			if s.Node == name {
				services = append(services, &CatalogNodeService{ID: s.ID, Service: s.Name, Tags: sortedCopy(s.Tags), Meta: s.ServiceMeta, Port: s.Port, Address: s.Address})
			}
		}
		sort.SliceStable(services, func(i, j int) bool {
			if services[i].Service != services[j].Service {
				return services[i].Service < services[j].Service
			}
			return services[i].ID < services[j].ID
		})
		return &CatalogNode{Node: n, Services: services}
	}
	return &CatalogNode{}
}

func nodes(data *fixture) []*Node {
	result := append([]*Node{}, data.Nodes...)
	sort.SliceStable(result, func(i, j int) bool {
		if result[i].Node != result[j].Node {
			return result[i].Node < result[j].Node
		}
		return result[i].Address < result[j].Address
	})
	return result
}

func datacenters(data *fixture) []string {
	result := append([]string{}, data.Datacenters...)
	sort.Strings(result)
	return result
}

func byTag(in interface{}) (map[string][]interface{}, error) {
	m := make(map[string][]interface{})
	switch typed := in.(type) {
	case nil:
	case []*CatalogSnippet:
		for _, s := range typed {
			for _, t := range s.Tags {
				m[t] = append(m[t], s)
			}
		}
	case []*HealthService:
		for _, s := range typed {
			for _, t := range s.Tags {
				m[t] = append(m[t], s)
			}
		}
	default:
		return nil, fmt.Errorf("byTag: wrong argument type %T", in)
	}
	return m, nil
}

// in is consul-template's: list membership for ints, floats and strings of the same type;
// substring for a string container; false for anything else.
func in(l, v interface{}) bool {
	switch list := l.(type) {
	case string:
		s, ok := v.(string)
		return ok && strings.Contains(list, s)
	case []string:
		s, ok := v.(string)
		return ok && hasTag(list, s)
	case []interface{}:
		for _, e := range list {
			switch ev := e.(type) {
			case string:
				if s, ok := v.(string); ok && s == ev {
					return true
				}
			case float64:
				if f, ok := v.(float64); ok && f == ev {
					return true
				}
			case int:
				if i, ok := v.(int); ok && i == ev {
					return true
				}
			}
		}
	}
	return false
}

func containsSome(retTrue, invert bool) func([]interface{}, interface{}) bool {
	return func(v []interface{}, l interface{}) bool {
		for i := 0; i < len(v); i++ {
			if in(l, v[i]) != invert {
				return !retTrue
			}
		}
		return retTrue
	}
}

func split(sep, s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return []string{}
	}
	return strings.Split(s, sep)
}

func regexMatch(re, s string) (bool, error) {
	compiled, err := regexp.Compile(re)
	if err != nil {
		return false, err
	}
	return compiled.MatchString(s), nil
}

func regexReplaceAll(re, pl, s string) (string, error) {
	compiled, err := regexp.Compile(re)
	if err != nil {
		return "", err
	}
	return compiled.ReplaceAllString(s, pl), nil
}

func toJSON(i interface{}) (string, error) {
	result, err := json.Marshal(i)
	if err != nil {
		return "", err
	}
	return string(bytes.TrimSpace(result)), nil
}

func parseJSON(s string) (interface{}, error) {
	if s == "" {
		return map[string]interface{}{}, nil
	}
	var data interface{}
	if err := json.Unmarshal([]byte(s), &data); err != nil {
		return nil, err
	}
	return data, nil
}

func hasTag(tags []string, tag string) bool {
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

func sortedCopy(tags []string) []string {
	result := append([]string{}, tags...)
	sort.Strings(result)
	return result
}
