using System.Diagnostics;
using System.IO.Compression;
using Oxidation.Tree;

namespace Oxidation.Tests.Tree;

/// <summary>Release tarballs as they come and as a hostile or broken one comes: every archive is built byte by byte.</summary>
public sealed class TarballTreeTests : IDisposable
{
    private const string Makefile = "VERSION = 6\nPATCHLEVEL = 1\n";
    private readonly DirectoryInfo _work = System.IO.Directory.CreateTempSubdirectory("oxidation-tar-");

    public void Dispose() => _work.Delete(recursive: true);

    private static TarBuilder Release() => new TarBuilder()
        .Directory("linux-6.1/")
        .File("linux-6.1/Makefile", Makefile)
        .File("linux-6.1/rust/a.rs", "fn a() {}\n");

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_work.FullName, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static RecordingSink Read(string path, Func<string, bool>? include = null, bool strip = true)
    {
        var sink = new RecordingSink();
        new TarballTree(path, include, strip).ReadAll(sink, 2, CancellationToken.None);
        return sink;
    }

    private static byte[] Gzip(byte[] tar)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(tar);
        return output.ToArray();
    }

    private byte[] Xz(byte[] tar)
    {
        var path = Write("xz-input.tar", tar);
        using (var xz = Process.Start(new ProcessStartInfo("xz", ["-z", "-k", "-0", "-f", "--", path]))!)
            xz.WaitForExit();
        return System.IO.File.ReadAllBytes(path + ".xz");
    }

    [Fact]
    public void A_complete_archive_is_read_whole()
    {
        var sink = Read(Write("linux.tar", Release().Complete()));
        Assert.Equal(["Makefile", "rust/a.rs"], sink.Files.Keys);
        Assert.Equal("fn a() {}\n", sink.Files["rust/a.rs"]);
        Assert.Empty(sink.Problems);
    }

    [Fact]
    public void A_plain_tar_cut_at_a_member_boundary_is_truncated()
    {
        var path = Write("linux.tar", Release().WithoutEnd());
        var ex = Assert.Throws<SourceTreeException>(() => Read(path));
        Assert.Equal($"{path}: truncated archive (ends after linux-6.1/rust/a.rs without the end-of-archive blocks)", ex.Message);
    }

    [Fact]
    public void A_plain_tar_with_one_of_its_two_end_blocks_is_truncated()
    {
        var path = Write("linux.tar", [.. Release().WithoutEnd(), .. new byte[512]]);
        var ex = Assert.Throws<SourceTreeException>(() => Read(path));
        Assert.Equal($"{path}: truncated archive (ends after one of its two end-of-archive blocks)", ex.Message);
    }

    [Fact]
    public void A_plain_tar_cut_inside_a_member_is_truncated()
    {
        var whole = Release().WithoutEnd();
        var path = Write("linux.tar", whole[..^100]);
        var ex = Assert.Throws<SourceTreeException>(() => Read(path));
        Assert.Equal($"{path}: truncated archive (ends inside the data of linux-6.1/rust/a.rs)", ex.Message);
    }

    [Fact]
    public void A_gzipped_tar_cut_at_a_member_boundary_is_truncated()
    {
        var path = Write("linux.tar.gz", Gzip(Release().WithoutEnd()));
        var ex = Assert.Throws<SourceTreeException>(() => Read(path));
        Assert.Equal($"{path}: truncated archive (ends after linux-6.1/rust/a.rs without the end-of-archive blocks)", ex.Message);
    }

    [Fact]
    public void An_xz_tar_cut_at_a_member_boundary_is_truncated()
    {
        var path = Write("linux.tar.xz", Xz(Release().WithoutEnd()));
        var ex = Assert.Throws<SourceTreeException>(() => Read(path));
        Assert.Equal($"{path}: truncated archive (ends after linux-6.1/rust/a.rs without the end-of-archive blocks)", ex.Message);
    }

    [Fact]
    public void Cut_gzip_and_xz_files_are_corrupt_or_truncated()
    {
        var gz = Gzip(Release().Complete());
        var gzPath = Write("cut.tar.gz", gz[..(gz.Length / 2)]);
        Assert.StartsWith($"{gzPath}: ", Assert.Throws<SourceTreeException>(() => Read(gzPath)).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<SourceTreeException>(() => Read(gzPath)).Message, StringComparison.Ordinal);
        var xz = Xz(Release().Complete());
        var xzPath = Write("cut.tar.xz", xz[..(xz.Length - 20)]);
        var ex = Assert.Throws<SourceTreeException>(() => Read(xzPath));
        Assert.StartsWith($"{xzPath}: corrupt or truncated archive (xz: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Members_outside_the_top_directory_are_problems_and_not_counted()
    {
        var tar = Release()
            .File("../escape.rs", "fn e() {}\n")
            .File("/etc/abs.c", "int x;\n")
            .File("linux-6.1/../../x.c", "int y;\n")
            .File("linux-6.1/drivers/../up.c", "int z;\n")
            .File("other/second.rs", "fn s() {}\n")
            .File("linux-6.1/./kernel/ok.c", "int ok;\n")
            .Complete();
        var sink = Read(Write("linux.tar", tar));
        Assert.Equal(["Makefile", "kernel/ok.c", "rust/a.rs"], sink.Files.Keys);
        Assert.Equal(
            [
                ("../escape.rs", "path with a '..' component in the archive; not counted"),
                ("/etc/abs.c", "absolute path in the archive; not counted"),
                ("linux-6.1/../../x.c", "path with a '..' component in the archive; not counted"),
                ("linux-6.1/drivers/../up.c", "path with a '..' component in the archive; not counted"),
                ("other/second.rs", "outside the archive's top directory linux-6.1/; not counted"),
            ],
            sink.SortedProblems());
    }

    [Fact]
    public void A_member_given_twice_is_listed_and_no_copy_is_counted()
    {
        var tar = Release()
            .File("linux-6.1/rust/a.rs", "fn again() {}\n")
            .File("linux-6.1/rust/a.rs", "fn third() {}\n")
            .File("linux-6.1/./rust/b.rs", "fn b() {}\n")
            .File("linux-6.1/rust/b.rs", "fn b2() {}\n")
            .Complete();
        var sink = Read(Write("linux.tar", tar));
        Assert.Equal(["Makefile"], sink.Files.Keys);
        Assert.Equal(
            [("rust/a.rs", "given more than once in the archive; no copy counted"), ("rust/b.rs", "given more than once in the archive; no copy counted")],
            sink.SortedProblems());
        Assert.Equal([("rust/a.rs", 10L), ("rust/b.rs", 10L)], sink.Withdrawn);
    }

    [Fact]
    public void An_archive_of_dot_keeps_every_path()
    {
        var tar = new TarBuilder().Directory("./").Directory("./kernel/").File("./kernel/a.c", "int a;\n").File("./Makefile", Makefile).Complete();
        var sink = Read(Write("linux.tar", tar));
        Assert.Equal(["Makefile", "kernel/a.c"], sink.Files.Keys);
        Assert.Empty(sink.Problems);
    }

    [Fact]
    public void Escaping_members_are_problems_without_a_top_directory_too()
    {
        // The CVE reader keeps the top directory (vulns/cve/…) but must not take ../ or absolute members either.
        var tar = new TarBuilder().File("cve/a.json", "{}").File("../cve/b.json", "{}").Complete();
        var sink = Read(Write("vulns.tar", tar), strip: false);
        Assert.Equal(["cve/a.json"], sink.Files.Keys);
        Assert.Equal([("../cve/b.json", "path with a '..' component in the archive; not counted")], sink.SortedProblems());
    }

    [Fact]
    public void Names_with_a_backslash_or_invalid_utf8_are_read_by_their_real_name()
    {
        var tar = Release()
            .File("linux-6.1/drivers/a\\b.c", "int backslash;\n")
            .Member([.. "linux-6.1/drivers/l"u8, 0xE9, .. ".c"u8], '0', "int latin1;\n"u8.ToArray())
            .Complete();
        var sink = Read(Write("linux.tar", tar));
        Assert.Equal(["Makefile", "drivers/a\\b.c", "drivers/l\uFFFD.c", "rust/a.rs"], sink.Files.Keys);
        Assert.Equal("int backslash;\n", sink.Files["drivers/a\\b.c"]);
        Assert.Equal("int latin1;\n", sink.Files["drivers/l\uFFFD.c"]);
        Assert.Empty(sink.Problems);
    }

    [Fact]
    public void Long_names_are_read_from_gnu_pax_and_ustar_prefix_headers()
    {
        var deep = "linux-6.1/" + string.Join('/', Enumerable.Repeat("drivers", 20)) + "/x.c";
        var ustar = new TarBuilder().Member("y.c"u8.ToArray(), '0', "int y;\n"u8.ToArray(), patch: h => "linux-6.1/prefix/dir"u8.CopyTo(h.AsSpan(345)));
        var tar = Release()
            .Member("././@LongLink"u8.ToArray(), 'L', [.. System.Text.Encoding.UTF8.GetBytes(deep), 0], gnu: true)
            .Member(System.Text.Encoding.UTF8.GetBytes(deep[..100]), '0', "int x;\n"u8.ToArray(), gnu: true)
            .Pax(("path", "linux-6.1/pax/" + new string('p', 120) + ".c"))
            .File("linux-6.1/pax/short.c", "int p;\n")
            .Raw(ustar.WithoutEnd())
            .Complete();
        var sink = Read(Write("linux.tar", tar));
        Assert.Equal(
            ["Makefile", deep["linux-6.1/".Length..], "pax/" + new string('p', 120) + ".c", "prefix/dir/y.c", "rust/a.rs"],
            sink.Files.Keys);
        Assert.Equal("int x;\n", sink.Files[deep["linux-6.1/".Length..]]);
        Assert.Equal("int p;\n", sink.Files["pax/" + new string('p', 120) + ".c"]);
    }

    [Fact]
    public void Gnu_sparse_members_are_unsupported_problems_and_the_rest_is_read()
    {
        // Old GNU format ('S', one extension block of the hole map) and PAX format 1.0 (the real name in GNU.sparse.name).
        var tar = Release()
            .Member("linux-6.1/old.bin"u8.ToArray(), 'S', new byte[700], gnu: true, patch: h => h[482] = 1)
            .Raw(new byte[512])
            .Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.name", "linux-6.1/new.bin"), ("GNU.sparse.realsize", "10485763"))
            .File("linux-6.1/GNUSparseFile.1234/new.bin", "1\n0\n3\nhi\n")
            .File("linux-6.1/after.c", "int after;\n")
            .Complete();
        var sink = Read(Write("linux.tar", tar));
        Assert.Equal(["Makefile", "after.c", "rust/a.rs"], sink.Files.Keys);
        Assert.Equal(
            [("new.bin", "GNU sparse file: not supported; not counted"), ("old.bin", "GNU sparse file: not supported; not counted")],
            sink.SortedProblems());
    }

    [Fact]
    public void A_sparse_file_written_by_gnu_tar_is_an_unsupported_problem()
    {
        var tree = _work.CreateSubdirectory("linux-6.1");
        System.IO.File.WriteAllText(Path.Combine(tree.FullName, "Makefile"), Makefile);
        using (var hole = System.IO.File.Create(Path.Combine(tree.FullName, "hole.bin")))
        {
            hole.SetLength(4 << 20);
            hole.Write("end\n"u8);
        }
        foreach (var format in new[] { "gnu", "pax" })
        {
            var path = Path.Combine(_work.FullName, $"sparse-{format}.tar");
            using (var tar = Process.Start(new ProcessStartInfo("tar", ["--sparse", $"--format={format}", "-cf", path, "-C", _work.FullName, "linux-6.1"]))!)
                tar.WaitForExit();
            var sink = Read(path);
            Assert.Equal(["Makefile"], sink.Files.Keys);
            Assert.Equal([("hole.bin", "GNU sparse file: not supported; not counted")], sink.SortedProblems());
        }
    }

    [Fact]
    public void A_damaged_header_is_corrupt()
    {
        var tar = Release().Complete();
        tar[512 + 10] ^= 0x20; // a byte of the second header's name: the checksum no longer matches
        var path = Write("linux.tar", tar);
        var ex = Assert.Throws<SourceTreeException>(() => Read(path));
        Assert.Equal($"{path}: corrupt or truncated archive (bad header checksum after linux-6.1/)", ex.Message);
    }
}
