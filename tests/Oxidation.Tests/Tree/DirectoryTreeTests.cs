using System.Diagnostics;
using Oxidation.Tree;

namespace Oxidation.Tests.Tree;

/// <summary>Unpacked trees with names .NET strings do not carry as they are: a backslash on Linux, bytes that are not UTF-8.</summary>
public sealed class DirectoryTreeTests : IDisposable
{
    private readonly DirectoryInfo _work = System.IO.Directory.CreateTempSubdirectory("oxidation-dir-");

    public void Dispose()
    {
        // Directory.Delete cannot name what .NET cannot open either.
        using var rm = Process.Start("rm", ["-rf", "--", _work.FullName]);
        rm.WaitForExit();
    }

    private static RecordingSink Read(string root)
    {
        var sink = new RecordingSink();
        new DirectoryTree(root).ReadAll(sink, 2, CancellationToken.None);
        return sink;
    }

    /// <summary>Creates files whose names are raw bytes (Python writes what .NET cannot name): each item a path of
    /// \xNN-escaped bytes relative to the tree and its text.</summary>
    private void WriteRaw(params (string Path, string Text)[] files)
    {
        var script = string.Join("\n", files.Select(f =>
            $"p = os.path.join(root, b'{f.Path}'); os.makedirs(os.path.dirname(p), exist_ok=True); open(p, 'wb').write(b'{f.Text}')"));
        var start = new ProcessStartInfo("python3", ["-c", $"import os, sys\nroot = os.fsencode(sys.argv[1])\n{script}", _work.FullName]);
        using var python = Process.Start(start)!;
        python.WaitForExit();
        Assert.Equal(0, python.ExitCode);
    }

    [Fact]
    public void A_file_name_with_a_backslash_is_read_by_its_real_name()
    {
        WriteRaw(("Makefile", "VERSION = 6\\n"), ("drivers/a\\\\b.c", "int backslash;\\n"));
        var sink = Read(_work.FullName);
        Assert.Equal(["Makefile", "drivers/a\\b.c"], sink.Files.Keys);
        Assert.Equal("int backslash;\n", sink.Files["drivers/a\\b.c"]);
        Assert.Empty(sink.Problems);
    }

    [Fact]
    public void File_and_directory_names_that_are_not_utf8_are_read_by_their_bytes()
    {
        WriteRaw(
            ("Makefile", "VERSION = 6\\n"),
            ("drivers/l\\xe9.c", "int latin1;\\n"),
            ("drivers/d\\xff/inner.c", "int inner;\\n"),
            ("drivers/d\\xff/deeper/\\xfe\\xfe.rs", "fn deep() {}\\n"));
        var sink = Read(_work.FullName);
        Assert.Equal(["Makefile", "drivers/d\uFFFD/deeper/\uFFFD\uFFFD.rs", "drivers/d\uFFFD/inner.c", "drivers/l\uFFFD.c"], sink.Files.Keys);
        Assert.Equal("int latin1;\n", sink.Files["drivers/l\uFFFD.c"]);
        Assert.Equal("int inner;\n", sink.Files["drivers/d\uFFFD/inner.c"]);
        Assert.Equal("fn deep() {}\n", sink.Files["drivers/d\uFFFD/deeper/\uFFFD\uFFFD.rs"]);
        Assert.Empty(sink.Problems);
    }

    [Fact]
    public void Two_names_alike_but_for_their_invalid_bytes_are_named_and_neither_is_counted()
    {
        WriteRaw(("Makefile", "VERSION = 6\\n"), ("x\\xfe.c", "int a;\\n"), ("x\\xff.c", "int b;\\n"));
        var sink = Read(_work.FullName);
        Assert.Equal(["Makefile"], sink.Files.Keys);
        Assert.Equal([("x\uFFFD.c", "2 names read the same once their bytes that are not UTF-8 are shown as U+FFFD; none counted")], sink.SortedProblems());
    }
}
