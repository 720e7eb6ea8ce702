#!/usr/bin/env bash
# Builds the gem source the end-to-end tests serve on loopback (RubyGems
# cannot be reached here): i18n, concurrent-ruby (which i18n depends on) and
# rainbow, repacked from Debian's ruby-i18n, ruby-concurrent and
# ruby-rainbow, which ship the gems' own files and gemspecs, and redcarpet
# prebuilt for x86_64-linux from ruby-redcarpet, under gems/,
# with the compact index Bundler reads (versions and info/NAME, with each
# gem's SHA-256, which Bundler checks). Prints the source's directory.
set -euo pipefail
. "$(dirname "$0")/versions.sh"
out=$BKL_HOME/gem-source
# Packed with this time, so that a gem's bytes and checksum do not change
# from one machine to the next.
export SOURCE_DATE_EPOCH=315619200
mkdir -p "$out/gems" "$out/info"

gem_from_deb() { # gem_from_deb DEB_PACKAGE GEM
	local deb=$1 name=$2
	ls "$out/gems/$name"-[0-9]*.gem >/dev/null 2>&1 && return
	local tmp
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "$deb" 2>/dev/null || { apt-get update -qq && apt-get download -qq "$deb"; })
	dpkg-deb -x "$tmp"/"$deb"_*.deb "$tmp/x"
	local root=$tmp/x/usr/share/rubygems-integration/all
	# The gemspec Debian installs, with the files of the gem's directory:
	# what gem build would have packed.
	ruby -e '
		require "rubygems/package"
		spec = Gem::Specification.load(ARGV[0])
		Dir.chdir(ARGV[1]) do
			spec.files = Dir.glob("**/*", File::FNM_DOTMATCH).select { |f| File.file?(f) }.sort
			spec.date = Time.utc(1980, 1, 2)
			File.rename(Gem::Package.build(spec), File.join(ARGV[2], spec.file_name))
		end
	' "$(ls "$root"/specifications/"$name"-[0-9]*.gemspec)" "$(ls -d "$root"/gems/"$name"-[0-9]*)" "$out/gems" >"$tmp/log" 2>&1 ||
		{ cat "$tmp/log" >&2; exit 1; }
	rm -rf "$tmp"
}

# platform_gem_from_deb DEB_PACKAGE GEM: a gem prebuilt for x86_64-linux,
# as gems with native code publish one per platform, from an amd64 Debian
# package that ships the gem's compiled extension beside its files.
platform_gem_from_deb() {
	local deb=$1 name=$2
	ls "$out/gems/$name"-[0-9]*-x86_64-linux.gem >/dev/null 2>&1 && return
	local tmp
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "$deb:amd64" 2>/dev/null || { apt-get update -qq && apt-get download -qq "$deb:amd64"; })
	dpkg-deb -x "$tmp"/"$deb"_*.deb "$tmp/x"
	local root
	root=$(ls -d "$tmp"/x/usr/lib/x86_64-linux-gnu/rubygems-integration/*)
	ruby -e '
		require "rubygems/package"
		require "fileutils"
		spec = Gem::Specification.load(ARGV[0])
		Dir.chdir(ARGV[1]) do
			# The compiled extension goes into lib, where a precompiled
			# gem keeps it; the gem builds nothing when installed.
			Dir[File.join(ARGV[2], "*.so")].each { |so| FileUtils.cp(so, "lib/") }
			spec.files = Dir.glob("**/*", File::FNM_DOTMATCH).select { |f| File.file?(f) }.sort
			spec.extensions = []
			spec.platform = Gem::Platform.new("x86_64-linux")
			spec.date = Time.utc(1980, 1, 2)
			File.rename(Gem::Package.build(spec), File.join(ARGV[3], spec.file_name))
		end
	' "$(ls "$root"/specifications/"$name"-[0-9]*.gemspec)" "$(ls -d "$root"/gems/"$name"-[0-9]*)" \
		"$(ls -d "$root"/extensions/x86_64-linux/*/"$name"-[0-9]*)" "$out/gems" >"$tmp/log" 2>&1 ||
		{ cat "$tmp/log" >&2; exit 1; }
	rm -rf "$tmp"
}

gem_from_deb ruby-i18n i18n
gem_from_deb ruby-concurrent concurrent-ruby
gem_from_deb ruby-rainbow rainbow
platform_gem_from_deb ruby-redcarpet redcarpet

# The compact index: a line per gem in versions, with the MD5 of its info
# file, whose line gives the version, the runtime dependencies and the
# checksum.
ruby -e '
	require "rubygems/package"
	require "digest"
	reqs = ->(r) { r.requirements.map { |op, v| "#{op} #{v}" }.join("&") }
	lines = Dir[File.join(ARGV[0], "gems", "*.gem")].sort.map do |gem|
		spec = Gem::Package.new(gem).spec
		deps = spec.runtime_dependencies.sort_by(&:name).map { |d| "#{d.name}:#{reqs.(d.requirement)}" }.join(",")
		version = spec.platform == Gem::Platform::RUBY ? spec.version.to_s : "#{spec.version}-#{spec.platform}"
		info = "---\n#{version} #{deps}|checksum:#{Digest::SHA256.file(gem).hexdigest},ruby:#{reqs.(spec.required_ruby_version)}\n"
		File.write(File.join(ARGV[0], "info", spec.name), info)
		"#{spec.name} #{version} #{Digest::MD5.hexdigest(info)}"
	end
	File.write(File.join(ARGV[0], "versions"), "created_at: 1980-01-02T00:00:00Z\n---\n" + lines.join("\n") + "\n")
' "$out"
echo "$out"
