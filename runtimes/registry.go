package runtimes

import "slices"

// both is every architecture Lambda runs.
var both = []string{"x86_64", "arm64"}

// registry lists every runtime, oldest first within a family. Deprecation
// dates are AWS's, from its runtime table
// (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
var registry = []Runtime{
	{Name: "nodejs18", Identifier: "nodejs18.x", Family: Node, Version: "18", Base: "public.ecr.aws/lambda/nodejs:18", OS: AL2,
		Architectures: both, Deprecated: date(2025, 9, 1), Retired: true, Summary: "Node.js 18, retired by AWS."},
	{Name: "nodejs20", Identifier: "nodejs20.x", Family: Node, Version: "20", Base: "public.ecr.aws/lambda/nodejs:20", OS: AL2023,
		Architectures: both, Deprecated: date(2026, 4, 30), Summary: "Node.js 20 on public.ecr.aws/lambda/nodejs:20."},
	{Name: "nodejs22", Identifier: "nodejs22.x", Family: Node, Version: "22", Base: "public.ecr.aws/lambda/nodejs:22", OS: AL2023,
		Architectures: both, Deprecated: date(2027, 4, 30), Summary: "Node.js 22 on public.ecr.aws/lambda/nodejs:22."},
	{Name: "nodejs24", Identifier: "nodejs24.x", Family: Node, Version: "24", Base: "public.ecr.aws/lambda/nodejs:24", OS: AL2023,
		Architectures: both, Deprecated: date(2028, 4, 30), Summary: "Node.js 24 on public.ecr.aws/lambda/nodejs:24."},

	{Name: "python3.9", Identifier: "python3.9", Family: Python, Version: "3.9", Base: "public.ecr.aws/lambda/python:3.9", OS: AL2,
		Architectures: both, Deprecated: date(2025, 12, 15), Retired: true, Summary: "Python 3.9, retired by AWS."},
	{Name: "python3.10", Identifier: "python3.10", Family: Python, Version: "3.10", Base: "public.ecr.aws/lambda/python:3.10", OS: AL2,
		Architectures: both, Deprecated: date(2026, 6, 30), Summary: "Python 3.10 on public.ecr.aws/lambda/python:3.10 (Amazon Linux 2)."},
	{Name: "python3.11", Identifier: "python3.11", Family: Python, Version: "3.11", Base: "public.ecr.aws/lambda/python:3.11", OS: AL2,
		Architectures: both, Deprecated: date(2026, 6, 30), Summary: "Python 3.11 on public.ecr.aws/lambda/python:3.11 (Amazon Linux 2)."},
	{Name: "python3.12", Identifier: "python3.12", Family: Python, Version: "3.12", Base: "public.ecr.aws/lambda/python:3.12", OS: AL2023,
		Architectures: both, Deprecated: date(2028, 10, 31), Summary: "Python 3.12 on public.ecr.aws/lambda/python:3.12."},
	{Name: "python3.13", Identifier: "python3.13", Family: Python, Version: "3.13", Base: "public.ecr.aws/lambda/python:3.13", OS: AL2023,
		Architectures: both, Deprecated: date(2029, 6, 30), Summary: "Python 3.13 on public.ecr.aws/lambda/python:3.13."},
	{Name: "python3.14", Identifier: "python3.14", Family: Python, Version: "3.14", Base: "public.ecr.aws/lambda/python:3.14", OS: AL2023,
		Architectures: both, Deprecated: date(2029, 6, 30), Summary: "Python 3.14 on public.ecr.aws/lambda/python:3.14."},

	{Name: "java8.al2", Identifier: "java8.al2", Family: Java, Version: "8", Base: "public.ecr.aws/lambda/java:8.al2", OS: AL2,
		Architectures: both, Deprecated: date(2026, 6, 30), Summary: "Java 8 on public.ecr.aws/lambda/java:8.al2 (Amazon Linux 2)."},
	{Name: "java11", Identifier: "java11", Family: Java, Version: "11", Base: "public.ecr.aws/lambda/java:11", OS: AL2,
		Architectures: both, Deprecated: date(2026, 6, 30), Summary: "Java 11 on public.ecr.aws/lambda/java:11 (Amazon Linux 2)."},
	{Name: "java17", Identifier: "java17", Family: Java, Version: "17", Base: "public.ecr.aws/lambda/java:17", OS: AL2,
		Architectures: both, Deprecated: date(2026, 6, 30), Summary: "Java 17 on public.ecr.aws/lambda/java:17 (Amazon Linux 2)."},
	{Name: "java21", Identifier: "java21", Family: Java, Version: "21", Base: "public.ecr.aws/lambda/java:21", OS: AL2023,
		Architectures: both, Deprecated: date(2029, 6, 30), Summary: "Java 21 on public.ecr.aws/lambda/java:21."},
	{Name: "java25", Identifier: "java25", Family: Java, Version: "25", Base: "public.ecr.aws/lambda/java:25", OS: AL2023,
		Architectures: both, Deprecated: date(2029, 6, 30), Summary: "Java 25 on public.ecr.aws/lambda/java:25."},

	{Name: "ruby3.2", Identifier: "ruby3.2", Family: Ruby, Version: "3.2", Base: "public.ecr.aws/lambda/ruby:3.2", OS: AL2,
		Architectures: both, Deprecated: date(2026, 3, 31), Summary: "Ruby 3.2 on public.ecr.aws/lambda/ruby:3.2 (Amazon Linux 2)."},
	{Name: "ruby3.3", Identifier: "ruby3.3", Family: Ruby, Version: "3.3", Base: "public.ecr.aws/lambda/ruby:3.3", OS: AL2023,
		Architectures: both, Deprecated: date(2027, 3, 31), Summary: "Ruby 3.3 on public.ecr.aws/lambda/ruby:3.3."},
	{Name: "ruby3.4", Identifier: "ruby3.4", Family: Ruby, Version: "3.4", Base: "public.ecr.aws/lambda/ruby:3.4", OS: AL2023,
		Architectures: both, Deprecated: date(2028, 3, 31), Summary: "Ruby 3.4 on public.ecr.aws/lambda/ruby:3.4."},

	{Name: "go", Identifier: "provided.al2023", Family: Go, Base: "public.ecr.aws/lambda/provided:al2023", OS: AL2023,
		Architectures: both, Deprecated: date(2029, 6, 30), Summary: "Go, as a bootstrap binary on public.ecr.aws/lambda/provided:al2023."},

	{Name: "rust", Identifier: "provided.al2023", Family: Rust, Base: "public.ecr.aws/lambda/provided:al2023", OS: AL2023,
		Architectures: both, Deprecated: date(2029, 6, 30), Summary: "Rust, built with Cargo into a bootstrap binary on public.ecr.aws/lambda/provided:al2023."},

	{Name: "provided.al2", Identifier: "provided.al2", Family: Custom, Base: "public.ecr.aws/lambda/provided:al2", OS: AL2,
		Architectures: both, Deprecated: date(2026, 6, 30), Summary: "A custom runtime: build.output's bootstrap on public.ecr.aws/lambda/provided:al2 (Amazon Linux 2)."},
	{Name: "provided.al2023", Identifier: "provided.al2023", Family: Custom, Base: "public.ecr.aws/lambda/provided:al2023", OS: AL2023,
		Architectures: both, Deprecated: date(2029, 6, 30), Summary: "A custom runtime: build.output's bootstrap on public.ecr.aws/lambda/provided:al2023."},
}

// All lists the runtimes lambda.yaml accepts, retired ones left out, in
// registry order.
func All() []Runtime {
	return slices.DeleteFunc(slices.Clone(registry), func(r Runtime) bool { return r.Retired })
}

// Names are the names of All.
func Names() []string {
	var names []string
	for _, r := range All() {
		names = append(names, r.Name)
	}
	return names
}

// Lookup finds a runtime by its lambda.yaml name, retired ones included;
// ok is false for a name the registry does not know.
func Lookup(name string) (r Runtime, ok bool) {
	i := slices.IndexFunc(registry, func(r Runtime) bool { return r.Name == name })
	if i < 0 {
		return Runtime{}, false
	}
	return registry[i], true
}
