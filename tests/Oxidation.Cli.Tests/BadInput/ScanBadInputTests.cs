using System.Diagnostics;
using System.Text.Json;

namespace Oxidation.Cli.Tests.BadInput;

/// <summary>
/// <c>scan</c> fed broken or hostile trees (issue 10): one line naming the file and the reason, exit 2 and the stored
/// release kept when the tree cannot be read whole; members that are not part of the tree listed and not counted.
/// Archives are written by Python's tarfile and GNU tar, so the bytes are those real tools produce.
/// </summary>
public sealed class ScanBadInputTests : IDisposable
{
    private const string Makefile = "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION = -rc1\n";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-scan-bad-");

    public void Dispose()
    {
        using var rm = Process.Start("rm", ["-rf", "--", _work.FullName]); // names .NET cannot open cannot be deleted by it either
        rm.WaitForExit();
    }

    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(_work.FullName, args);

    private string Tree()
    {
        var root = Path.Combine(_work.FullName, "linux-6.12");
        Directory.CreateDirectory(Path.Combine(root, "rust/kernel"));
        File.WriteAllText(Path.Combine(root, "Makefile"), Makefile);
        File.WriteAllText(Path.Combine(root, "rust/kernel/lib.rs"), "// SPDX-License-Identifier: GPL-2.0\nunsafe impl Send for X {}\n");
        File.WriteAllText(Path.Combine(root, "rust/kernel/zzz.rs"), "fn last() {}\n");
        return root;
    }

    /// <summary>Runs a Python snippet with <c>work</c> (bytes) set to the work directory.</summary>
    private void Python(string code)
    {
        var start = new ProcessStartInfo("python3", ["-c", "import io, os, sys, tarfile\nwork = os.fsencode(sys.argv[1])\n" + code, _work.FullName])
        {
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, error);
    }

    private static JsonElement[] Problems(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.Clone())];
    }

    private static long RustFiles(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("languages").EnumerateArray()
            .Where(l => l.GetProperty("language").GetString() == "Rust").Sum(l => l.GetProperty("files").GetInt64());
    }

    [Fact]
    public void A_tar_cut_at_a_member_boundary_is_truncated_and_the_stored_release_is_kept()
    {
        var db = Path.Combine(_work.FullName, "keep.duckdb");
        Assert.Equal(0, Run("scan", Tree(), "--db", db).Exit);
        var before = File.ReadAllBytes(db);
        // The same release without its last member and without the end-of-archive blocks: what a cut download leaves.
        Python("""
            buffer = io.BytesIO()
            tar = tarfile.open(fileobj=buffer, mode='w', format=tarfile.USTAR_FORMAT)
            for name in ['Makefile', 'rust/kernel/lib.rs']:
                tar.add(os.path.join(work, b'linux-6.12', os.fsencode(name)), arcname='linux-6.12/' + name)
            open(os.path.join(work, b'cut.tar'), 'wb').write(buffer.getvalue())
            """);
        var cut = Path.Combine(_work.FullName, "cut.tar");
        var (exit, stdout, stderr) = Run("scan", cut, "--db", db);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"oxidation: error: {cut}: truncated archive (ends after linux-6.12/rust/kernel/lib.rs without the end-of-archive blocks)", stderr.Trim());
        Assert.Equal(before, File.ReadAllBytes(db));
    }

    [Fact]
    public void Members_outside_the_top_directory_and_repeats_are_listed_and_not_counted()
    {
        Tree();
        Python("""
            def add(tar, name, text):
                info = tarfile.TarInfo(name)
                info.size = len(text)
                tar.addfile(info, io.BytesIO(text))
            with tarfile.open(os.path.join(work, b'hostile.tar'), 'w', format=tarfile.PAX_FORMAT) as tar:
                tar.add(os.fsdecode(os.path.join(work, b'linux-6.12')), arcname='linux-6.12')
                add(tar, '../escape.rs', b'fn escape() {}\n')
                add(tar, '/abs.rs', b'fn abs() {}\n')
                add(tar, 'linux-6.12/../../x.rs', b'fn x() {}\n')
                add(tar, 'elsewhere/y.rs', b'fn y() {}\n')
                add(tar, 'linux-6.12/rust/kernel/lib.rs', b'fn again() {}\n')
            """);
        var (exit, stdout, stderr) = Run("scan", Path.Combine(_work.FullName, "hostile.tar"), "--json", "--no-store");
        Assert.True(exit == 0, stderr);
        Assert.Equal(1, RustFiles(stdout)); // zzz.rs; both copies of lib.rs are out
        using (var document = JsonDocument.Parse(stdout))
        {
            var summary = document.RootElement.GetProperty("summary");
            Assert.Equal(2, summary.GetProperty("files").GetInt32()); // Makefile and zzz.rs
            Assert.Equal(Makefile.Length + "fn last() {}\n".Length, summary.GetProperty("bytes").GetInt32());
        }
        Assert.Equal(
            [
                ("../escape.rs", "path with a '..' component in the archive; not counted"),
                ("/abs.rs", "absolute path in the archive; not counted"),
                ("MAINTAINERS", "missing; no maintainer coverage computed"),
                ("elsewhere/y.rs", "outside the archive's top directory linux-6.12/; not counted"),
                ("linux-6.12/../../x.rs", "path with a '..' component in the archive; not counted"),
                ("rust/kernel/lib.rs", "given more than once in the archive; no copy counted"),
            ],
            Problems(stdout).Select(p => (p.GetProperty("path").GetString(), p.GetProperty("reason").GetString())));
    }

    [Fact]
    public void A_gnu_sparse_member_is_named_as_unsupported_and_the_rest_is_counted()
    {
        var root = Tree();
        using (var hole = File.Create(Path.Combine(root, "hole.bin")))
        {
            hole.SetLength(8 << 20);
            hole.Write("end\n"u8);
        }
        var tarball = Path.Combine(_work.FullName, "sparse.tar.gz");
        using (var tar = Process.Start(new ProcessStartInfo("tar", ["--sparse", "--format=gnu", "-czf", tarball, "-C", _work.FullName, "linux-6.12"]))!)
            tar.WaitForExit();
        var (exit, stdout, stderr) = Run("scan", tarball, "--json", "--no-store");
        Assert.True(exit == 0, stderr);
        Assert.Equal(2, RustFiles(stdout));
        var problem = Assert.Single(Problems(stdout), p => p.GetProperty("path").GetString() == "hole.bin");
        Assert.Equal("GNU sparse file: not supported; not counted", problem.GetProperty("reason").GetString());
    }

    [Fact]
    public void Names_with_a_backslash_or_invalid_utf8_are_counted_in_a_directory_and_a_tarball()
    {
        Tree();
        Python("""
            for name in [b'a\\b.rs', b'l\xe9.rs']:
                open(os.path.join(work, b'linux-6.12/rust/kernel', name), 'wb').write(b'fn odd() {}\n')
            with tarfile.open(os.path.join(work, b'odd.tar.gz'), 'w:gz', format=tarfile.GNU_FORMAT, encoding='utf-8', errors='surrogateescape') as tar:
                tar.add(os.path.join(work, b'linux-6.12').decode('utf-8', 'surrogateescape'), arcname='linux-6.12')
            """);
        foreach (var tree in new[] { Path.Combine(_work.FullName, "linux-6.12"), Path.Combine(_work.FullName, "odd.tar.gz") })
        {
            var (exit, stdout, stderr) = Run("scan", tree, "--json", "--no-store");
            Assert.True(exit == 0, stderr);
            Assert.Equal(4, RustFiles(stdout));
            Assert.Equal(["MAINTAINERS"], Problems(stdout).Select(p => p.GetProperty("path").GetString()));
        }
    }

    [Fact]
    public async Task A_fifo_in_the_tree_is_listed_and_not_opened_so_the_scan_does_not_hang()
    {
        var root = Tree();
        Python("""
            os.mkfifo(os.path.join(work, b'linux-6.12/rust/kernel/pipe.rs'))
            os.mkdir(os.path.join(work, b'linux-6.12/odd\xff'))
            os.mkfifo(os.path.join(work, b'linux-6.12/odd\xff/pipe.c'))
            """);
        // Before the fix the scan blocked for ever in open(2) on the FIFO: WaitAsync fails the test instead.
        var (exit, stdout, stderr) = await Task.Run(() => Run("scan", root, "--json", "--no-store")).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, stderr);
        Assert.Equal(2, RustFiles(stdout));
        var problems = Problems(stdout).ToDictionary(p => p.GetProperty("path").GetString()!, p => p.GetProperty("reason").GetString());
        Assert.Equal("not a regular file (a FIFO, socket or device); not read", problems["rust/kernel/pipe.rs"]);
        Assert.Equal("not a regular file (a FIFO, socket or device); not read", problems["odd\uFFFD/pipe.c"]);
    }
}
