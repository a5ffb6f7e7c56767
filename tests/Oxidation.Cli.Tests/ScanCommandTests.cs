using System.Text.Json;

namespace Oxidation.Cli.Tests;

/// <summary>The command as a user runs it: a separate process, its exit code, its output.</summary>
public sealed class ScanCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-cli-");

    public void Dispose() => _work.Delete(recursive: true);

    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(_work.FullName, args);

    private string Tree()
    {
        var root = Path.Combine(_work.FullName, "tree");
        Directory.CreateDirectory(Path.Combine(root, "rust/kernel"));
        File.WriteAllText(Path.Combine(root, "Makefile"), "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION = -rc1\n");
        File.WriteAllText(Path.Combine(root, "rust/kernel/lib.rs"), "// SPDX-License-Identifier: GPL-2.0\n// SAFETY: fine.\nunsafe impl Send for X {}\n");
        File.WriteAllBytes(Path.Combine(root, "blob.bin"), [1, 0, 2]);
        File.WriteAllBytes(Path.Combine(root, "latin1.c"), [(byte)'i', (byte)'n', (byte)'t', 0xE9, (byte)';', (byte)'\n']);
        File.CreateSymbolicLink(Path.Combine(root, "loop"), root);
        return root;
    }

    [Fact]
    public void Json_output_follows_the_contract()
    {
        var (exit, stdout, stderr) = Run("scan", Tree(), "--json", "--db", Path.Combine(_work.FullName, "o.duckdb"));
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        foreach (var key in new[] { "release", "source", "languages", "directories", "rust", "maintainers", "problems" })
            Assert.True(root.TryGetProperty(key, out _), key);
        Assert.Equal("6.12-rc1", root.GetProperty("release").GetString());
        var rust = root.GetProperty("rust");
        foreach (var key in new[] { "areas", "units", "unsafe", "bindings" })
            Assert.True(rust.TryGetProperty(key, out _), key);
        var unsafeJson = rust.GetProperty("unsafe");
        foreach (var key in new[] { "blocks", "blocksJustified", "blocksTodo", "functions", "functionsDocumented", "impls", "traits", "sites" })
            Assert.True(unsafeJson.TryGetProperty(key, out _), key);
        Assert.Equal(1, unsafeJson.GetProperty("impls").GetInt32());
        // The binary file is skipped, the symlink loop not followed, the Latin-1 file counted with a note.
        Assert.Equal(1, root.GetProperty("summary").GetProperty("binaryFiles").GetInt32());
        Assert.Equal(1, root.GetProperty("summary").GetProperty("links").GetInt32());
        var problems = root.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("path").GetString(), p.GetProperty("counted").GetBoolean())).ToList();
        Assert.Equal([("MAINTAINERS", false), ("latin1.c", true)], problems);
        Assert.True(File.Exists(Path.Combine(_work.FullName, "o.duckdb")));
    }

    [Fact]
    public void A_file_of_several_hundred_megabytes_is_listed_and_not_counted()
    {
        var root = Tree();
        using (var big = File.Create(Path.Combine(root, "huge.c")))
            big.SetLength(300L * 1024 * 1024); // sparse: costs no disk
        var (exit, stdout, stderr) = Run("scan", root, "--json", "--no-store");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var problem = json.RootElement.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("path").GetString() == "huge.c");
        Assert.StartsWith("larger than 100 MiB", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(problem.GetProperty("counted").GetBoolean());
        Assert.DoesNotContain(json.RootElement.GetProperty("languages").EnumerateArray(), l => l.GetProperty("language").GetString() == "C" && l.GetProperty("files").GetInt32() > 1);
    }

    [Fact]
    public void The_summary_is_readable_text()
    {
        var (exit, stdout, _) = Run("scan", Tree(), "--no-store");
        Assert.Equal(0, exit);
        Assert.Contains("Linux 6.12-rc1", stdout, StringComparison.Ordinal);
        Assert.Contains("Unsafe audit", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_path_is_a_one_line_error()
    {
        var (exit, stdout, stderr) = Run("scan", "/no/such/tree", "--no-store");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal("oxidation: error: /no/such/tree: no such file or directory", stderr.Trim());
    }

    [Fact]
    public void An_empty_directory_is_refused()
    {
        var empty = _work.CreateSubdirectory("empty").FullName;
        var (exit, _, stderr) = Run("scan", empty, "--no-store");
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {empty}: empty directory, not a kernel tree", stderr.Trim());
    }

    [Fact]
    public void A_directory_without_a_kernel_makefile_is_refused()
    {
        var dir = _work.CreateSubdirectory("notkernel").FullName;
        File.WriteAllText(Path.Combine(dir, "README"), "hello\n");
        var (exit, _, stderr) = Run("scan", dir, "--no-store");
        Assert.Equal(2, exit);
        Assert.Contains("not a kernel tree (no top-level Makefile with VERSION)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_tarball_is_reported_and_the_database_is_untouched()
    {
        var db = Path.Combine(_work.FullName, "keep.duckdb");
        Assert.Equal(0, Run("scan", Tree(), "--db", db).Exit);
        var before = File.ReadAllBytes(db);
        // The first megabyte of the real 6.1 release tarball.
        var truncated = Path.Combine(_work.FullName, "linux.tar.xz");
        using (var source = File.OpenRead("/usr/src/linux-source-6.1.tar.xz"))
        using (var target = File.Create(truncated))
        {
            var buffer = new byte[1 << 20];
            source.ReadExactly(buffer);
            target.Write(buffer);
        }
        var (exit, _, stderr) = Run("scan", truncated, "--db", db);
        Assert.Equal(2, exit);
        Assert.StartsWith($"oxidation: error: {truncated}: corrupt or truncated archive", stderr.Trim(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(db));
    }

    [Fact]
    public void A_file_that_is_not_an_archive_is_refused()
    {
        var path = Path.Combine(_work.FullName, "notes.txt");
        File.WriteAllText(path, "not an archive");
        var (exit, _, stderr) = Run("scan", path, "--no-store");
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {path}: not a directory, .tar, .tar.gz or .tar.xz file", stderr.Trim());
    }
}
