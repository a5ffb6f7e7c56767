#!/usr/bin/env python3
"""Writes a git fast-import stream of a synthetic kernel-like history to stdout.

usage: make_history.py COMMITS [FIRST]   (FIRST > 1 continues an existing history from mark FIRST-1)
About 1 commit in 7 changes a Rust file, 1 in 50 changes rust/ and a C header together; tags v6.0, v6.1, ...
every 10,000 commits. Fixed identities and dates: the same arguments give the same commits.
"""
import sys

count = int(sys.argv[1])
first = int(sys.argv[2]) if len(sys.argv) > 2 else 1
out = sys.stdout.buffer
domains = ["intel.com", "google.com", "redhat.com", "gmail.com", "kernel.org", "amd.com", "arm.com", "samsung.com"]
body = "".join(f"int line_{i};\n" for i in range(20))
rs_body = "".join(f"pub fn f{i}() {{}}\n" for i in range(20))


def data(text):
    raw = text.encode()
    out.write(b"data %d\n" % len(raw) + raw + b"\n")


for n in range(first, first + count):
    who = n % 50
    name, email = f"Dev {who}", f"dev{who}@{domains[who % len(domains)]}"
    when = 1_600_000_000 + n * 600
    out.write(b"commit refs/heads/master\nmark :%d\n" % n)
    out.write(f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode())
    rust = n % 7 == 0
    subject = f"rust: change {n}" if rust else f"drivers: change {n}"
    trailers = f"\n\nSigned-off-by: {name} <{email}>\n"
    if n % 3 == 0:
        r = (who + 1) % 50
        trailers += f"Reviewed-by: Dev {r} <dev{r}@{domains[r % len(domains)]}>\n"
    data(subject + trailers)
    if n == first and first > 1:
        out.write(b"from refs/heads/master^0\n")  # marks do not survive between fast-import runs
    elif n > 1:
        out.write(b"from :%d\n" % (n - 1))
    if rust:
        out.write(f"M 100644 inline rust/kernel/m{n % 100}.rs\n".encode())
        data(f"// {n}\n" + rs_body)
    else:
        out.write(f"M 100644 inline drivers/d{n % 50}/f{n % 2000}.c\n".encode())
        data(f"// {n}\n" + body)
    if n % 50 == 0:
        out.write(f"M 100644 inline include/linux/h{n % 200}.h\n".encode())
        data(f"// {n}\n" + body)
    out.write(b"\n")
    if n % 10_000 == 1 or (n % 10_000 == 0 and n > 0):
        tag = n // 10_000 if n % 10_000 == 0 else None
        if tag is not None:
            out.write(f"reset refs/tags/v6.{tag}\nfrom :{n}\n\n".encode())
        elif n == 1:
            out.write(b"reset refs/tags/v6.0\nfrom :1\n\n")
