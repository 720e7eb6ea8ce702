package pythonlock_test

import (
	"os"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/pythonlock"
)

var _ = golden.Update // every test binary takes -update

var py312 = pythonlock.Env{PythonVersion: "3.12", Machine: "aarch64"}

func read(t *testing.T, name string) []byte {
	t.Helper()
	dt, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return dt
}

func pins(r pythonlock.Result) string {
	var s []string
	for _, p := range r.Pins {
		s = append(s, p.Name+"=="+p.Version+" "+strings.Join(p.Hashes, ","))
	}
	return strings.Join(s, "\n")
}

func TestLocks(t *testing.T) {
	for _, tc := range []struct {
		name string
		read func() (pythonlock.Result, error)
		want string
	}{{
		// The socks extra pulls in pysocks; the win32-only and the dev
		// dependencies stay out; the fork takes numpy 2 on 3.12.
		name: "uv",
		read: func() (pythonlock.Result, error) { return pythonlock.FromUV(read(t, "uv.lock"), py312) },
		want: "numpy==2.1.0 sha256:fff\npysocks==1.7.1 sha256:ddd\nrequests==2.32.3 sha256:aaa,sha256:bbb\nurllib3==2.2.3 sha256:ccc",
	}, {
		name: "uv on python 3.11 takes the other fork",
		read: func() (pythonlock.Result, error) {
			return pythonlock.FromUV(read(t, "uv.lock"), pythonlock.Env{PythonVersion: "3.11", Machine: "x86_64"})
		},
		want: "numpy==1.26.4 sha256:ggg\npysocks==1.7.1 sha256:ddd\nrequests==2.32.3 sha256:aaa,sha256:bbb\nurllib3==2.2.3 sha256:ccc",
	}, {
		// http2 brings the optional h2; colorama is Windows-only, uvloop
		// macOS-only; pytest is in the dev group.
		name: "poetry",
		read: func() (pythonlock.Result, error) {
			return pythonlock.FromPoetry(read(t, "poetry.lock"), read(t, "poetry-pyproject.toml"), py312)
		},
		want: "click==8.1.7 sha256:c1,sha256:c2\nh2==4.1.0 sha256:h2\nhttpx==0.27.2 sha256:hx\nsniffio==1.3.1 sha256:sn",
	}, {
		name: "pipenv",
		read: func() (pythonlock.Result, error) { return pythonlock.FromPipfile(read(t, "Pipfile.lock"), py312) },
		want: "requests==2.32.3 sha256:r1,sha256:r2",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.read()
			if err != nil {
				t.Fatal(err)
			}
			if got := pins(r); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestRequirementsFile(t *testing.T) {
	r := pythonlock.Result{Pins: []pythonlock.Pin{{Name: "a", Version: "1", Hashes: []string{"sha256:x", "sha256:y"}}}}
	if got, want := string(r.Requirements()), "a==1 \\\n    --hash=sha256:x \\\n    --hash=sha256:y\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLockErrors(t *testing.T) {
	for _, tc := range []struct {
		name, lock, want string
	}{
		{"not toml", "[[package", "reading uv.lock"},
		{"no root", "[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"x\" }\n", "no package has source"},
		{"git source", "[[package]]\nname = \"fn\"\nversion = \"0\"\nsource = { virtual = \".\" }\ndependencies = [{ name = \"g\" }]\n[[package]]\nname = \"g\"\nversion = \"1\"\nsource = { git = \"https://x\" }\n", "not a package index"},
		{"missing package", "[[package]]\nname = \"fn\"\nversion = \"0\"\nsource = { virtual = \".\" }\ndependencies = [{ name = \"gone\" }]\n", "gone is a dependency but not a package of the lock"},
	} {
		if _, err := pythonlock.FromUV([]byte(tc.lock), py312); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}

func TestMarkers(t *testing.T) {
	env := pythonlock.Env{PythonVersion: "3.12", Machine: "x86_64"}
	for _, tc := range []struct {
		marker, extra string
		want          bool
	}{
		{"", "", true},
		{`python_version >= "3.8"`, "", true},
		{`python_version < "3.10"`, "", false},
		{`python_version == "3.12.*"`, "", true},
		{`python_version ~= "3.10"`, "", true},
		{`sys_platform == "linux" and platform_machine == "x86_64"`, "", true},
		{`sys_platform == "win32" or (platform_machine == "aarch64" and python_version > "3")`, "", false},
		{`platform_machine != "x86_64" or os_name == 'posix'`, "", true},
		{`extra == "socks"`, "socks", true},
		{`"linux" in sys_platform`, "", true},
		{`platform_system not in "Windows Darwin"`, "", true},
	} {
		got, err := env.Match(tc.marker, tc.extra)
		if err != nil || got != tc.want {
			t.Errorf("%q: got %v, %v; want %v", tc.marker, got, err, tc.want)
		}
	}
	for _, bad := range []string{`nope == "x"`, `python_version >=`, `(python_version > "3"`, `python_version < "x"`} {
		if _, err := env.Match(bad, ""); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestRealLocks reads the locks uv, Poetry and Pipenv wrote for the
// end-to-end test projects: the two main packages, the dev one left out.
func TestRealLocks(t *testing.T) {
	dir := "../test/e2e/testdata/"
	file := func(p string) []byte {
		dt, err := os.ReadFile(dir + p)
		if err != nil {
			t.Fatal(err)
		}
		return dt
	}
	for name, read := range map[string]func() (pythonlock.Result, error){
		"uv": func() (pythonlock.Result, error) { return pythonlock.FromUV(file("python-uv/uv.lock"), py312) },
		"poetry": func() (pythonlock.Result, error) {
			return pythonlock.FromPoetry(file("python-poetry/poetry.lock"), file("python-poetry/pyproject.toml"), py312)
		},
		"pipenv": func() (pythonlock.Result, error) {
			return pythonlock.FromPipfile(file("python-pipenv/Pipfile.lock"), py312)
		},
	} {
		r, err := read()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		for _, p := range r.Pins {
			got = append(got, p.Name+"=="+p.Version)
			if len(p.Hashes) < 2 {
				t.Errorf("%s: %s has %d hashes; the lock lists every wheel", name, p.Name, len(p.Hashes))
			}
		}
		if strings.Join(got, " ") != "humanize==4.11.0 orjson==3.10.12" {
			t.Errorf("%s: pins %q, want humanize and orjson alone", name, got)
		}
	}
}
