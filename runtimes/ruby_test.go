package runtimes_test

import (
	"slices"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

// TestRubyHandler: the runtime takes the file from before the first dot of
// the handler's last path element, and a method, of a class or module
// when a constant path comes first.
func TestRubyHandler(t *testing.T) {
	for _, tc := range []struct {
		handler string
		file    string // "" when the handler is malformed
	}{
		{"app.handler", "app.rb"},
		{"lambda_function.LambdaFunction::Handler.process", "lambda_function.rb"},
		{"lib/app.Orders::Handler.process", "lib/app.rb"},
		{"app.valid?", "app.rb"},
		{"app", ""},
		{".handler", ""},
		{"lib/.handler", ""},
		{"app.Orders:Handler.process", ""},
		{"app.orders::Handler.process", ""},
		{"app.Handler.", ""},
	} {
		msg := runtimes.Ruby.CheckHandler(tc.handler)
		if (msg == "") != (tc.file != "") {
			t.Errorf("CheckHandler(%q) = %q", tc.handler, msg)
			continue
		}
		if tc.file == "" {
			continue
		}
		if got := runtimes.Ruby.HandlerFiles(tc.handler); !slices.Equal(got, []string{tc.file}) {
			t.Errorf("HandlerFiles(%q) = %q, want %s", tc.handler, got, tc.file)
		}
	}
}
