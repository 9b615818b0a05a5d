// Command promql-names prints the metric names each PromQL expression reads, parsed by
// Prometheus' own PromQL parser (the one promtool and the server use), so tests can check that
// every name an alert or a dashboard panel reads is exported by the operator.
//
// Input (stdin): a JSON array of expressions. Output (stdout): a JSON array, one object per
// expression in order: {"expr": ..., "names": [...], "error": ...}. An expression that does not
// parse gets its parser error and no names; the exit code is 0 either way (the caller decides).
package main

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

type result struct {
	Expr  string   `json:"expr"`
	Names []string `json:"names"`
	Error string   `json:"error,omitempty"`
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
	r := result{Expr: expr, Names: []string{}}
	parsed, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	seen := map[string]bool{}
	parser.Inspect(parsed, func(node parser.Node, _ []parser.Node) error {
		if selector, ok := node.(*parser.VectorSelector); ok {
			for _, m := range selector.LabelMatchers {
				if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
					seen[m.Value] = true
				}
			}
		}
		return nil
	})
	for name := range seen {
		r.Names = append(r.Names, name)
	}
	sort.Strings(r.Names)
	return r
}
