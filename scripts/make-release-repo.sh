#!/usr/bin/env bash
# Builds a bare git repository holding Debian's linux-source trees as tagged commits (v6.1, v6.12), for the tests and
# bench/releases.sh: `scan --rev` and `releases` read real kernel trees from git objects. The trees go in through
# `git fast-import` straight from the tarballs (nothing unpacked on disk), with a fixed identity and dates, so the commit
# ids depend only on the tarballs. Cached under ${XDG_CACHE_HOME:-~/.cache}/oxidation, keyed by the tarballs' checksums;
# prints the repository's path.
#   scripts/make-release-repo.sh [TARBALL_6.1 TARBALL_6.12]
set -euo pipefail
old="${1:-/usr/src/linux-source-6.1.tar.xz}"
new="${2:-/usr/src/linux-source-6.12.tar.xz}"
for t in "$old" "$new"; do
  [ -f "$t" ] || { echo "make-release-repo: $t: no such file (scripts/setup.sh installs it)" >&2; exit 2; }
done
key="$(cat "$old" "$new" | sha256sum | cut -c1-16)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/oxidation"
repo="$cache/release-repo-$key.git"
if [ -f "$repo/.complete" ]; then
  echo "$repo"
  exit 0
fi
mkdir -p "$cache"
tmp="$(mktemp -d "$cache/release-repo-$key.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
git init -q --bare "$tmp/repo.git"
python3 - "$old" v6.1 1670799600 "$new" v6.12 1732455600 <<'PY' | git -C "$tmp/repo.git" fast-import --quiet --done
# One commit per tarball on main (deleteall, then every member), each tagged with an annotated tag.
import sys, tarfile
out = sys.stdout.buffer
args = sys.argv[1:]
mark = 0
for i in range(0, len(args), 3):
    path, tag, when = args[i], args[i + 1], args[i + 2]
    mark += 1
    out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
    ident = b"Oxidation <dev@oxidation.invalid> %s +0000\n" % when.encode()
    out.write(b"author " + ident + b"committer " + ident)
    msg = ("Linux %s (Debian's %s)\n" % (tag[1:], path.rsplit("/", 1)[-1])).encode()
    out.write(b"data %d\n%s" % (len(msg), msg))
    if mark > 1:
        out.write(b"from :%d\n" % (mark - 1))
    out.write(b"deleteall\n")
    with tarfile.open(path, "r:*") as tar:
        for m in tar:
            name = m.name.split("/", 1)
            if len(name) < 2 or not name[1]:
                continue
            rel = name[1].encode("utf-8", "surrogateescape")
            if m.issym():
                data = m.linkname.encode("utf-8", "surrogateescape")
                out.write(b"M 120000 inline %s\ndata %d\n%s\n" % (rel, len(data), data))
            elif m.isfile():
                data = tar.extractfile(m).read()
                mode = b"100755" if m.mode & 0o111 else b"100644"
                out.write(b"M %s inline %s\ndata %d\n%s\n" % (mode, rel, len(data), data))
    out.write(b"\n")
    tagmsg = ("Linux %s\n" % tag[1:]).encode()
    out.write(b"tag %s\nfrom :%d\ntagger %sdata %d\n%s\n" % (tag.encode(), mark, ident, len(tagmsg), tagmsg))
out.write(b"done\n")
PY
git -C "$tmp/repo.git" symbolic-ref HEAD refs/heads/main
touch "$tmp/repo.git/.complete"
rm -rf "$repo"
mv "$tmp/repo.git" "$repo"
echo "$repo"
