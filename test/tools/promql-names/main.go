// Command promql-names prints the metric names each PromQL expression reads, parsed by
// Prometheus' own PromQL parser (the one promtool and the server use), so tests can check that
// every name an alert or a dashboard panel reads is exported by the operator.
//
// Input (stdin): a JSON array of expressions. Output (stdout): a JSON array, one object per
// expression in order: {"expr": ..., "names": [...], "selectors": [...], "error": ...}, where each
// selector is {"name": ..., "equal": {label: value}} (its equality matchers, such as a histogram
// bucket's le). An expression that does not parse gets its parser error and no names; the exit
// code is 0 either way (the caller decides).
package main

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

type selector struct {
	Name  string            `json:"name"`
	Equal map[string]string `json:"equal"`
}

type result struct {
	Expr      string     `json:"expr"`
	Names     []string   `json:"names"`
	Selectors []selector `json:"selectors"`
	Error     string     `json:"error,omitempty"`
}

func main() {
	var exprs []string
	if err := json.NewDecoder(os.Stdin).Decode(&exprs); err != nil {
		os.Stderr.WriteString("promql-names: stdin must be a JSON array of strings: " + err.Error() + "\n")
		os.Exit(2)
	}
	results := make([]result, 0, len(exprs))
	for _, e := range exprs {
		results = append(results, names(e))
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		os.Exit(1)
	}
}

func names(expr string) result {
	r := result{Expr: expr, Names: []string{}, Selectors: []selector{}}
	parsed, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	seen := map[string]bool{}
	parser.Inspect(parsed, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			s := selector{Equal: map[string]string{}}
			for _, m := range vs.LabelMatchers {
				if m.Type != labels.MatchEqual {
					continue
				}
				if m.Name == labels.MetricName {
					seen[m.Value] = true
					s.Name = m.Value
				} else {
					s.Equal[m.Name] = m.Value
				}
			}
			r.Selectors = append(r.Selectors, s)
		}
		return nil
	})
	for name := range seen {
		r.Names = append(r.Names, name)
	}
	sort.Strings(r.Names)
	return r
}
